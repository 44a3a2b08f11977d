/** [alerts_config]: what is alerted (thresholds) and where it goes (notifications). */
import { bool, num, table } from '../schema.js';
import { httpUrl } from './common.js';
import { notifications } from './notifications/index.js';
import { thresholds } from './thresholds.js';

export const alertsConfig = table(
  'What is alerted, and where it goes.',
  {
    enabled: bool('Master switch: false generates no alert rules (recording rules and the Watchdog stay).', true),
    cooldown_minutes: num('The same alert (same name and account) is not re-sent within this time while it keeps firing.', {
      default: 15,
      min: 1,
      max: 10_080,
      unit: 'min',
    }),
    runbook_base_url: httpUrl(
      'Base of the runbook_url annotation of every alert; "#<alert name lower-case>" is appended.',
      'http://127.0.0.1:9095/runbooks',
    ),
    thresholds,
    notifications,
  },
  {
    needs: ['cooldown_minutes'],
    run: (a, report) => {
      if (!Number.isInteger(a.cooldown_minutes)) {
        report(
          'cooldown_minutes',
          `${a.cooldown_minutes} is not a whole number of minutes; Alertmanager durations cannot express it and it would be rounded`,
          `write ${Math.round(a.cooldown_minutes)}`,
        );
      }
    },
  },
);
