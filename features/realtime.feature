Feature: Real-Time Monitoring & Alerts
  The first design document's scenarios, on the real chain.

  Scenario: Trigger high-latency alert
    Given max_latency_ms = 200
    And a trade execution took 350 ms
    When metrics are evaluated
    Then an alert is sent via each configured channel

  Scenario: Display real-time equity curve
    Given trading has begun
    When Metrics arrive every 5 seconds
    Then the Equity Curve line chart updates accordingly
