Feature: Alerts configuration from the browser
  The design's AlertsConfigurationTab is our alerts page. These scenarios click through it in
  real headless Chromium, against a real alert bridge, Prometheus, Alertmanager and SMTP server.

  Scenario: Configuring Email Alert Notification Details
    Given the user navigates to the 'AlertsConfigurationTab'
    When the user enables email notifications
    And enters "test@example.com" in the email recipients field
    And clicks "Apply Configuration" to save changes
    Then the 'config.toml' is updated with the new email alert settings
    And the alert service reloads the new configuration

  Scenario: Testing Email Alert Delivery from GUI
    Given email notifications are enabled and configured with a valid recipient and SMTP settings
    When the user clicks the "Test Email Alert" button on the 'AlertsConfigurationTab'
    Then the backend 'TestAlertNotification' function is called for the email channel
    And a sample email alert is successfully delivered to the configured recipient(s)

  Scenario: Test alert delivery from GUI
    Given valid email and Slack webhook in alerts config
    When user clicks "Test Alert"
    Then a sample notification is delivered to each endpoint
