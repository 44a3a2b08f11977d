/**
 * The config.toml tables that point the email, Slack, SMS and webhook channels at local peers,
 * for the kits that build a whole chain (alert-bridge's storm kit, bench/latency.ts). Secrets are
 * given as references (`env:NAME`), never inline, as a user's config would hold them.
 */
export interface PeerChannels {
  smtp: { port: number };
  /** Reference to the Slack peer's webhook URL, e.g. `env:BENCH_SLACK_URL`. */
  slackUrlRef: string;
  /** SMS through the Twilio peer; left out when absent. */
  sms?: { url: string; accountSidRef: string; authTokenRef: string };
  webhook: { url: string };
}

export function peerChannelsToml(p: PeerChannels): string {
  const sms = p.sms
    ? `[alerts_config.notifications.sms]
enabled = true
account_sid = "${p.sms.accountSidRef}"
auth_token = "${p.sms.authTokenRef}"
to = ["+15555550100"]
api_base_url = "${p.sms.url}"
`
    : '';
  return `[alerts_config.notifications.email]
enabled = true
recipients = ["trader@example.com"]
from = "alerts@traderadmin.test"
smtp_host = "127.0.0.1"
smtp_port = ${p.smtp.port}
smtp_tls = "none"
[alerts_config.notifications.slack]
enabled = true
webhook_url = "${p.slackUrlRef}"
${sms}[alerts_config.notifications.webhook]
enabled = true
urls = ["${p.webhook.url}/hook"]
`;
}
