/**
 * Silences through Alertmanager's v2 API: list, create ("mute OrderLatencyHigh for account X
 * for 1 h") and expire. The bridge proxies them so the CLI and the UI need one address only.
 */

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** What a caller asks for; `alertname`/`account`/`labels` are shorthands for equality matchers. */
export interface SilenceRequest {
  matchers?: Array<Partial<Matcher> & { name: string; value: string }>;
  alertname?: string;
  account?: string;
  labels?: Record<string, string>;
  /** "1h", "30m", "1h30m", "2d". */
  duration?: string;
  startsAt?: string;
  endsAt?: string;
  comment?: string;
  createdBy?: string;
}

export class SilenceError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SilenceError';
  }
}

/** Parses "1h30m", "90s", "2d" into ms; undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  const ms = (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
  return ms > 0 ? ms : undefined;
}

/** Builds an Alertmanager v2 silence from a request; throws SilenceError(400) listing what is wrong. */
export function buildSilence(
  req: SilenceRequest,
  now: number,
): { matchers: Matcher[]; startsAt: string; endsAt: string; createdBy: string; comment: string } {
  const problems: string[] = [];
  const matchers: Matcher[] = [];
  for (const m of req.matchers ?? []) {
    if (typeof m?.name !== 'string' || !m.name || typeof m.value !== 'string') {
      problems.push('every matcher needs a name and a value');
      continue;
    }
    matchers.push({ name: m.name, value: m.value, isRegex: Boolean(m.isRegex), isEqual: m.isEqual !== false });
  }
  const eq = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') matchers.push({ name, value, isRegex: false, isEqual: true });
  };
  eq('alertname', req.alertname);
  eq('account', req.account);
  for (const [k, v] of Object.entries(req.labels ?? {})) eq(k, v);
  if (matchers.length === 0) problems.push('give at least one matcher (alertname, account, labels or matchers)');
  const start = req.startsAt ? Date.parse(req.startsAt) : now;
  if (Number.isNaN(start)) problems.push(`startsAt ${JSON.stringify(req.startsAt)} is not a date`);
  let end: number;
  if (req.endsAt) {
    end = Date.parse(req.endsAt);
    if (Number.isNaN(end)) problems.push(`endsAt ${JSON.stringify(req.endsAt)} is not a date`);
  } else {
    const ms = parseDuration(req.duration ?? '1h');
    if (ms === undefined) problems.push(`duration ${JSON.stringify(req.duration)} is not a duration such as 30m, 1h or 1h30m`);
    end = start + (ms ?? 0);
  }
  if (!problems.length && end <= start) problems.push('the silence must end after it starts');
  if (problems.length) throw new SilenceError(problems.join('; '), 400);
  return {
    matchers,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(end).toISOString(),
    createdBy: req.createdBy || 'traderadmin',
    comment: req.comment || 'created through the TraderAdmin alert bridge',
  };
}

/** A client of Alertmanager's v2 silence API. */
export class SilenceClient {
  constructor(
    private readonly baseUrl: () => string,
    private readonly fetchFn: typeof fetch,
    private readonly now: () => number,
  ) {}

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${this.baseUrl().replace(/\/+$/, '')}/api/v2${path}`;
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new SilenceError(`Alertmanager at ${this.baseUrl()} is unreachable: ${(error as Error).message}`, 502);
    }
    const text = await res.text();
    if (!res.ok)
      throw new SilenceError(
        `Alertmanager answered ${res.status}: ${text.trim().slice(0, 300)}`,
        res.status === 404 ? 404 : res.status < 500 ? 400 : 502,
      );
    return text ? JSON.parse(text) : undefined;
  }

  /** Silences, newest first; `all` includes expired ones. */
  async list(all = false): Promise<unknown[]> {
    const silences = (await this.#call('GET', '/silences')) as Array<{ status: { state: string }; updatedAt?: string }>;
    return silences
      .filter((s) => all || s.status.state !== 'expired')
      .sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)));
  }

  async create(req: SilenceRequest): Promise<{ silenceID: string; startsAt: string; endsAt: string; matchers: Matcher[] }> {
    const silence = buildSilence(req, this.now());
    const res = (await this.#call('POST', '/silences', silence)) as { silenceID: string };
    return { silenceID: res.silenceID, startsAt: silence.startsAt, endsAt: silence.endsAt, matchers: silence.matchers };
  }

  async expire(id: string): Promise<void> {
    if (!/^[A-Za-z0-9-]+$/.test(id)) throw new SilenceError(`${JSON.stringify(id)} is not a silence id`, 400);
    await this.#call('DELETE', `/silence/${id}`);
  }
}
