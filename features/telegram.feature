Feature: Telegram: alerts with silence buttons, and the trader's commands
  The bridge sends alerts to a Telegram chat through a local Bot API server and answers the
  chat's commands by long polling. Everything behind it is real: the emulator, the exporter,
  Prometheus with the generated rules, Alertmanager with the generated routes, the bridge.

  Scenario: A slow order reaches Telegram, its button silences it in Alertmanager, /status shows the exporter's figures, and another chat is ignored
    Given Telegram is the alert channel
    And the alert configuration 'max_order_latency_ms' is set to 200
    And Prometheus scrapes the exporter
    And an order execution takes 250ms
    Then the Telegram chat gets OrderLatencyHigh with the buttons "Silence 1 h" and "Silence until tomorrow"
    When the trader presses "Silence 1 h" under it
    Then Alertmanager has a one-hour silence on every label of that alert, made from Telegram
    And when OrderLatencyHigh resolves and fires again, Telegram gets no new OrderLatencyHigh message
    When the trader sends "/status"
    Then the answer shows the equity, daily P&L and open positions the exporter reports
    When a chat that is not in chat_ids sends "/status" and presses the button
    Then the bot answers nothing, makes no silence, and logs the chat as ignored
    And the bot token appears in no line the bridge logged
