/** [supervisor]: "traderadmin up" as a service manager. */
import { int, table } from '../schema.js';
import { listen } from './common.js';

export const supervisor = table('"traderadmin up" as a service manager: restarts a part that exits, and serves its own metrics.', {
  listen: listen('Where up serves /metrics (restarts per part, crash loops), scraped by Prometheus.', '127.0.0.1:9097'),
  crash_loop_restarts: int('This many restarts of one part within crash_loop_window_seconds make a crash loop (alert PartCrashLooping).', {
    default: 5,
    min: 2,
    max: 1000,
  }),
  crash_loop_window_seconds: int('Window of crash_loop_restarts; a part that stays up 60 s is healthy again.', {
    default: 600,
    min: 60,
    max: 86_400,
    unit: 's',
  }),
});
