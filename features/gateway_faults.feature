Feature: A failing broker connection pages the trader, recovers, and loses no fill
  The trader is away from the screen with live orders working. When the exporter loses the
  IB Gateway, BrokerDisconnected pages every channel while it lasts and resolves when the
  session is back; fills made meanwhile are counted once, after the reconnect. IB's own
  "connectivity lost" notices (1100, 1101, 1102) are counted without losing the data feed.

  Background:
    Given the exporter reconnects to the gateway within 2 seconds
    And the TraderAdmin application is running and connected to IBKR

  Scenario: The gateway goes down for 10 seconds while an order fills: the trader is paged, then told it is back, and the fill is counted once
    Given the account bought 10 AAPL, and the exporter counted 1 buy fill
    When the gateway goes down
    And 5 MSFT are bought while the gateway is down
    Then BrokerDisconnected fires and reaches every channel
    And Prometheus shows trader_broker_connected = 0
    When the gateway comes back after being down 10 seconds
    Then trader_broker_connected is back to 1
    And BrokerDisconnected resolves and every channel is told once
    And the exporter counted 2 buy fills: the one made during the outage, and none twice

  Scenario: The gateway hangs with the socket open: the exporter's own probe notices, and the session comes back when it answers
    When the gateway stops answering but keeps the socket open
    Then BrokerDisconnected fires and reaches every channel
    When the gateway answers again
    Then trader_broker_connected is back to 1
    And BrokerDisconnected resolves and every channel is told once

  Scenario: The gateway loses IB's servers twice: 1100 then 1101 with the data lost, 1100 then 1102 with it kept, and prices keep coming
    Given the account bought 10 AAPL, and the exporter counted 1 buy fill
    When the gateway loses its connection to IB's servers
    Then Prometheus shows trader_broker_upstream_connected = 0
    When the connection to IB's servers is restored with the data lost
    Then Prometheus shows trader_broker_upstream_connected = 1
    And prices still reach the exporter: AAPL set to 190.25 shows as its market price
    When the gateway loses its connection to IB's servers
    And the connection to IB's servers is restored with the data kept
    Then the exporter counted IB code 1100 exactly 2 times
    And the exporter counted IB code 1101 exactly 1 time
    And the exporter counted IB code 1102 exactly 1 time
    And prices still reach the exporter: AAPL set to 191.5 shows as its market price

  @long
  Scenario: The gateway restarts overnight-style, down for 8 seconds: the trader is paged once, and positions and fills survive
    Given the account bought 10 AAPL, and the exporter counted 1 buy fill
    When the gateway restarts and is down for 8 seconds
    Then BrokerDisconnected fires and reaches every channel
    And trader_broker_connected is back to 1
    And BrokerDisconnected resolves and every channel is told once
    And the exporter still shows 1 open position and 1 buy fill, none counted twice
