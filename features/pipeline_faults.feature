Feature: Alerts survive restarts and provider outages: delivered once, none lost
  The alerting pipeline itself fails now and then: Prometheus or Alertmanager is restarted,
  the alert bridge is killed, an email, Slack or SMS provider is down or rate-limits. The trader
  still gets every alert exactly once per channel, and AlertDeliveryFailing does not cry wolf
  for a short outage. (The chain runs on compressed time: 1 s scrapes and retries; the @long
  scenarios keep the providers down for a full minute.)

  Scenario: Prometheus and then Alertmanager restart while an alert fires: the trader is told once, not again as if new
    Given Prometheus re-sends firing alerts to Alertmanager every 15 seconds
    And 11 API errors occur within a few minutes
    Then ApiErrorsExcessive fires and reaches every channel
    When Prometheus restarts
    And Alertmanager restarts
    Then the Watchdog heartbeat reaches the bridge again after the restarts
    And every channel still has exactly one ApiErrorsExcessive notice, and no resolution

  Scenario: The alert bridge is killed mid-delivery and restarted: every queued alert arrives, and only the one in flight comes twice, with the same Idempotency-Key
    Given the alert bridge runs as its own process
    And the alert configuration 'max_order_latency_ms' is set to 200
    And the webhook receiver holds every answer for 12 seconds
    When a slow order, a burst of API errors and a losing trade raise three alerts
    And a webhook delivery is in flight, with the three alerts still queued for the webhook
    And the alert bridge process is killed with SIGKILL
    And the webhook receiver answers promptly again
    And the alert bridge is started again on the same data folder
    Then the webhook received each of the three alerts, the one in flight at the kill twice with the same Idempotency-Key, every other notification once
    And email, Slack and SMS each received the three alerts exactly once

  Scenario: Email, Slack and SMS all fail for 15 seconds: the alert arrives once on each after they recover, and AlertDeliveryFailing stays quiet
    Given the bridge retries a delivery up to 8 times, backing off from 1 to 8 seconds
    And the SMTP server rejects every message with 451 for 15 seconds
    And Slack answers 429 with Retry-After 5 for 15 seconds
    And Twilio answers 429 with Retry-After 5 for 15 seconds
    When 11 API errors occur within a few minutes
    Then ApiErrorsExcessive reaches each failing channel exactly once, after the outage
    And nothing was given up on, and AlertDeliveryFailing never fired

  @long
  Scenario: The SMTP server refuses mail for a full minute: the alert is emailed once when it is back, and AlertDeliveryFailing stays quiet
    Given the bridge retries a delivery up to 20 times, backing off from 1 to 8 seconds
    And the SMTP server rejects every message with 451 for 60 seconds
    When 11 API errors occur within a few minutes
    Then ApiErrorsExcessive reaches each failing channel exactly once, after the outage
    And nothing was given up on, and AlertDeliveryFailing never fired

  @long
  Scenario Outline: <provider> rate-limits every request for a full minute: the alert is sent once when it lets go, and AlertDeliveryFailing stays quiet
    Given the bridge retries a delivery up to 20 times, backing off from 1 to 8 seconds
    And <provider> answers 429 with Retry-After 10 for 60 seconds
    When 11 API errors occur within a few minutes
    Then ApiErrorsExcessive reaches each failing channel exactly once, after the outage
    And nothing was given up on, and AlertDeliveryFailing never fired

    Examples:
      | provider |
      | Slack    |
      | Twilio   |
