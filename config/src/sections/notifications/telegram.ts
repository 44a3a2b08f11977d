/** [alerts_config.notifications.telegram]: Telegram through a bot. */
import { bool, list, secret, str, table } from '../../schema.js';
import { credential, dailySummaryAt, httpUrl, minSeverity } from '../common.js';

export const telegram = table(
  'Telegram through a bot (Bot API): alerts with silence buttons, and /status, /alerts, /silence, /unsilence by long polling.',
  {
    enabled: bool('Send alerts to Telegram.', false),
    bot_token: secret('Bot token from @BotFather; "env:TELEGRAM_BOT_TOKEN" keeps it out of this file.'),
    chat_ids: list(
      'Chats that receive alerts; only these are obeyed (commands and buttons from other chats are ignored and logged).',
      str('A chat id.', { pattern: /^-?\d{1,20}$/, format: 'a numeric chat id' }),
      { unique: true },
    ),
    api_base_url: httpUrl('Another Bot API server (a local one, or tests).', 'https://api.telegram.org'),
    commands: bool('Answer /status, /alerts, /silence and /unsilence, and the silence buttons (long polling; no public URL needed).', true),
    daily_summary_at: dailySummaryAt('Telegram'),
    min_severity: minSeverity('Telegram', 'warning'),
  },
  {
    run: (t, report, ctx) => {
      if (!t.enabled) return;
      if (t.chat_ids.length === 0) report('chat_ids', 'Telegram is enabled but chat_ids is empty', 'chat_ids = ["123456789"]');
      credential(t.bot_token, 'bot_token', 'Telegram', 'bot_token = "env:TELEGRAM_BOT_TOKEN"', report, ctx);
    },
  },
);
