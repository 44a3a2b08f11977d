Feature: Bad input is refused with a clear error and changes nothing
  Traders edit config.toml by hand and wire their own scripts to the events API; a broken
  editor, a wrong paste or a buggy script must get a clear "no" that says what is wrong, and
  must never leave a half-applied change behind.

  Scenario Outline: A config.toml that is <broken> is refused by validate, generate and up, and nothing is written
    Given a config.toml that is "<broken>", beside the files generated from the last good one
    When the trader runs validate, generate and up on it
    Then each refuses it with exit code 1, saying "<says>"
    And each lists exactly <problems> problems with file and line
    And nothing was written: config.toml and every generated file are byte-identical

    Examples:
      | broken                                   | says                                                   | problems |
      | a TOML syntax error                      | config.toml:3:26: error: TOML syntax                   | 1        |
      | binary garbage                           | config.toml:1:1: error: TOML syntax                    | 1        |
      | 5 MB long, with one bad value at the end | config.toml:500002: error: alerts_config.cooldown_minutes | 1     |
      | nested 2000 tables deep                  | excessively nested                                     | 1        |
      | wrong types in every section             | config.toml:16: error: alert_bridge.listen             | 11       |
      | full of unknown sections                 | config.toml:5: error: alerts_config.notifications.pager | 2       |

  Scenario: A webhook pointed back at the stack itself is refused: it would loop alerts into the stack
    Given a config.toml containing:
      """
      [alerts_config.notifications.webhook]
      enabled = true
      urls = ["https://hooks.example.com/trading", "http://localhost:9095/api/v1/alertmanager/webhook"]
      """
    When the trader runs "traderadmin validate --config config.toml"
    Then the command exits with code 1
    And it reports these problems:
      | line | key                                           | message                                        |
      | 3    | alerts_config.notifications.webhook.urls[1]   | alert_bridge.listen.*loop alerts back into the stack |

  Scenario: A buggy script posts broken events: it is told which event and field is wrong, and no metric moves
    Given tokens are set for the events API, the bridge and the alerts page
    When a script posts these event batches to the exporter:
      | body                                                                                                                                      | status | says                            |
      | [{"type":"error","component":"orchestrator","code":"E1"},{"type":"order_latency","account":"DU1234567","stage":"submit","latency_ms":5}] | 400    | events[1].stage                 |
      | {"events":[{"type":"heartbeat","component":"scanner","latencyMs":3}]}                                                                     | 400    | events[0].latencyMs             |
      | {"events":[{"type":"order_latency","account":"DU1234567","stage":"fill","latency_ms":-5}]}                                               | 400    | events[0].latency_ms            |
      | {"events":[{"type":"teleport"}]}                                                                                                          | 400    | events[0].type                  |
      | {"events":[{"type":"heartbeat","component":"scanner"}                                                                                     | 400    |                                 |
      | 2 MB of events                                                                                                                            | 413    |                                 |
    Then each is refused with the status and the message of its row
    And no metric of the exporter moved
    And a valid batch with the token is still accepted and counted

  Scenario: Broken and oversized webhooks reach the bridge: 400 or 413, nothing stored and nothing sent
    Given tokens are set for the events API, the bridge and the alerts page
    When a script posts these webhooks to the bridge:
      | channel | body                                                    | status | says   |
      | email   | this is not JSON                                        | 400    |        |
      | slack   | {"version":"4","status":"firing"}                       | 400    | alerts |
      | sms     | {"version":"4","status":"firing","receiver":"r","groupKey":"g","alerts":[{"status":"firing","labels":"oops"}]} | 400 | labels |
      | webhook | 2 MB of alerts                                          | 413    |        |
    Then each is refused with the status and the message of its row
    And the bridge stored nothing and sent nothing

  Scenario: Wrong or missing tokens are refused by the events API, the bridge and the alerts page, and never echoed
    Given tokens are set for the events API, the bridge and the alerts page
    When someone calls the events API, the bridge and the alerts page with a wrong token and with none
    Then every call is answered 401 and no answer contains a token
    And nothing changed: the metrics, the outbox and config.toml are as before
