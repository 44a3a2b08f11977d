Feature: Real-Time Monitoring Dashboard and Alerting System
  The seed scenarios of the design documents, each on the real chain: the IB Gateway
  emulator, the exporter reading it through @stoqey/ib, Prometheus with the rules generated
  from config.toml, Alertmanager, the alert bridge, and real SMTP, Slack, Twilio and webhook peers.

  Scenario: Displaying Real-Time Portfolio Metrics on Dashboard
    Given the TraderAdmin application is running and connected to IBKR
    And the backend metrics service is collecting portfolio data
    When the 'MonitoringTab' in the GUI fetches metrics periodically
    Then the dashboard displays the current Equity, Realized P&L, and Open Positions Count
    And these values update approximately every 5-10 seconds

  Scenario: Triggering a High Order Latency Alert
    Given the alert configuration 'max_order_latency_ms' is set to 200
    And an order execution takes 250ms
    And the alert system (Python orchestrator or Go service) evaluates metrics
    Then an alert notification is triggered
    And sent via all enabled channels (e.g., email, Slack) with details about the high latency

  Scenario: Alert Throttling (Conceptual)
    Given a 'max_api_errors_per_hour' threshold is set to 10
    And the cooldown is set to 1 minute
    And 11 API errors occur within a few minutes
    When the alert system evaluates this condition
    Then an alert for "Excessive API Errors" is sent
    And if more API errors occur immediately after, the same alert is not re-sent for a configurable cooldown period (e.g., 15 minutes)
    And once the cooldown has passed while it still fires, it is sent again as a reminder
