Feature: Alert configuration is checked before anything uses it
  A trader edits config.toml by hand. A mistake there must never start a service
  half-configured: every problem is listed at once, with its line and key.

  Scenario: A valid configuration is accepted
    Given the example config.toml
    When the trader runs "traderadmin validate --config config.toml"
    Then the command exits with code 0
    And it prints "is valid"

  Scenario: An invalid configuration is refused with every problem listed
    Given a config.toml containing:
      """
      [alerts_config]
      cooldown_minutes = 7.5

      [alerts_config.thresholds]
      max_order_latncy_ms = 200
      min_daily_realized_pnl = "-500"
      """
    When the trader runs "traderadmin validate --config config.toml"
    Then the command exits with code 1
    And it reports these problems:
      | line | key                                             | message                          |
      | 2    | alerts_config.cooldown_minutes                  | is not a whole number of minutes |
      | 5    | alerts_config.thresholds.max_order_latncy_ms    | did you mean                     |
      | 6    | alerts_config.thresholds.min_daily_realized_pnl | expected a number                |
