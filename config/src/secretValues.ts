/**
 * What the log redactor of every service hides: the values of every Secret in the config,
 * wherever the schema put one (a new secret key is covered without a list to keep).
 */
import type { Config } from './configSchema.js';
import { Secret } from './secret.js';

/** Every Secret in the config, wherever the schema put one (new secret keys are covered without a list to keep). */
function configSecrets(value: unknown, out: Secret[] = []): Secret[] {
  if (value instanceof Secret) out.push(value);
  else if (Array.isArray(value)) for (const v of value) configSecrets(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) configSecrets(v, out);
  return out;
}

/**
 * What the redactor hides: every secret's value, and the forms it takes inside URLs (percent-
 * encoded, and the path and query of a secret URL), because some secrets travel in URLs: the
 * Telegram bot token is a path segment of every Bot API call, a webhook URL's path is its key.
 */
export function secretValues(config: Config, env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  const addUrlParts = (raw: string) => {
    try {
      const u = new URL(raw);
      if (u.pathname.length >= 8) out.push(u.pathname + u.search, u.pathname);
      if (u.search.length >= 8) out.push(u.search);
    } catch {
      // not a URL: the whole value is listed
    }
  };
  for (const s of configSecrets(config)) {
    let v: string;
    try {
      v = s.reveal(env);
    } catch {
      continue; // unavailable secrets cannot leak
    }
    if (!v) continue;
    out.push(v, encodeURIComponent(v));
    addUrlParts(v);
  }
  // Webhook URLs are plain settings, but often carry a token in the path or query.
  for (const raw of config.alerts_config.notifications.webhook.urls) {
    out.push(raw);
    addUrlParts(raw);
  }
  return out;
}
