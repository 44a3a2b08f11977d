Feature: The console's alerts, from a notification
  A notification's silence link opens the console's Alerts view (Debian's Alertmanager has no
  web UI) with the form filled in; one click makes the silence in the real Alertmanager.

  Scenario: A silence made from a notification's link stops the next notification
    Given the alert OrderLatencyHigh was notified by webhook with a silence link
    When the trader opens the silence link in the console and clicks "Silence"
    Then Alertmanager holds the alert under that silence
    And the next notification of that alert is not sent
