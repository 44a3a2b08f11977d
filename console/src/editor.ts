/**
 * The page's core, without HTTP: reads config.toml, turns a draft into the new file text,
 * validates it with the same rules as `traderadmin validate`, and applies it — backup, atomic
 * write, regenerate and reload through a Deployer, history — restoring everything on failure.
 * Applies run one at a time, and each must name the sha256 of the file it was based on.
 */
import { checkConfigText, type LocatedProblem } from '@traderadmin/config';
import { silentLogger, type Logger } from '@traderadmin/kit';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { keyChanges, literalSecrets, scrub } from './changes.js';
import { generatedChanges, type Deployer } from './deploy.js';
import { draftFromRaw, editsFromDraft, sectionSchema } from './draft.js';
import { writeFileAtomic } from './files.js';
import { ConfigHistory, sha256 } from './history.js';
import type {
  ApplyResponse,
  ConflictResponse,
  DiffResponse,
  Draft,
  HistoryItem,
  KeyChange,
  PageProblem,
  StateResponse,
  ValidateResponse,
} from './shared/api.js';
import { CHANNELS } from '@traderadmin/config';
import { missingReconfirmations, type Reconfirmed } from './reconfirm.js';
import { TomlPatchError, patchToml } from './tomlPatch.js';

export interface EditorOptions {
  configFile: string;
  history: ConfigHistory;
  deployer: Deployer;
  /** Environment env: secrets are checked against. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Where the alert bridge answers, shown by the page. */
  bridgeUrl?: string | null;
  /** Gets who applied what, and failed applies. @default nothing */
  logger?: Logger;
}

/** A file as read now. */
interface Snapshot {
  text: string;
  sha256: string;
  raw?: unknown;
  /** Set when the file is not valid TOML. */
  syntax?: PageProblem;
}

/** A candidate new text, or why there is none. */
interface Candidate {
  text?: string;
  problems: PageProblem[];
  valid: boolean;
}

/** An HTTP-shaped answer: status and JSON body. */
export interface Answer<T = unknown> {
  status: number;
  body: T;
}

const toPageProblem = (p: LocatedProblem): PageProblem => ({
  path: p.path,
  message: p.message,
  hint: p.hint,
  severity: p.severity,
  line: p.line,
});

/** Edits config.toml from drafts; see the module comment. */
export class ConfigEditor {
  readonly file: string;
  readonly history: ConfigHistory;
  private readonly deployer: Deployer;
  private readonly env: NodeJS.ProcessEnv;
  private readonly bridgeUrl: string | null;
  private readonly logger: Logger;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: EditorOptions) {
    this.file = options.configFile;
    this.history = options.history;
    this.deployer = options.deployer;
    this.env = options.env ?? process.env;
    this.bridgeUrl = options.bridgeUrl ?? null;
    this.logger = options.logger ?? silentLogger;
  }

  /** The file now. */
  read(): Snapshot {
    // The hash of the bytes on disk, as loadConfig computes it, so any tool's sha256 matches.
    const bytes = readFileSync(this.file);
    const text = bytes.toString('utf8');
    const snapshot: Snapshot = { text, sha256: sha256(bytes) };
    try {
      snapshot.raw = parseToml(text);
    } catch (error) {
      const e = error as { line?: number; message: string };
      snapshot.syntax = {
        path: '',
        severity: 'error',
        line: e.line,
        message: `TOML syntax: ${e.message.split('\n')[0].replace(/^Invalid TOML document: /, '')}`,
      };
    }
    return snapshot;
  }

  /** Every clear secret of these texts, to scrub from answers. */
  private secretsOf(...snapshots: Array<{ raw?: unknown } | undefined>): string[] {
    return snapshots.flatMap((s) => (s?.raw ? literalSecrets(s.raw) : []));
  }

  /** What the page loads: schema, current values, problems, and the file's sha256. */
  state(user: string): StateResponse {
    const now = this.read();
    const problems = now.syntax
      ? [now.syntax]
      : checkConfigText(now.text, this.file, { env: this.env, readSecretFiles: false }).problems.map(toPageProblem);
    const state: StateResponse = {
      file: this.file,
      sha256: now.sha256,
      schema: sectionSchema(),
      draft: now.raw ? draftFromRaw(now.raw) : {},
      problems,
      channels: [...CHANNELS],
      user,
      bridge: this.bridgeUrl,
    };
    return scrub(state, this.secretsOf(now));
  }

  /** The text a draft gives, applied on the file as it is now. */
  private candidate(now: Snapshot, draft: Draft): Candidate {
    if (now.syntax) return { problems: [now.syntax], valid: false };
    const { edits, problems } = editsFromDraft(now.raw, draft);
    if (problems.some((p) => p.severity === 'error')) return { problems, valid: false };
    let text: string;
    try {
      text = patchToml(now.text, edits);
    } catch (error) {
      if (!(error instanceof TomlPatchError)) throw error;
      return { problems: [{ path: '', severity: 'error', message: error.message }], valid: false };
    }
    return this.check(text, problems);
  }

  private check(text: string, extra: PageProblem[] = []): Candidate {
    const result = checkConfigText(text, this.file, { env: this.env, readSecretFiles: false });
    const problems = [...extra, ...result.problems.map(toPageProblem)];
    return { text, problems, valid: result.config !== undefined && !problems.some((p) => p.severity === 'error') };
  }

  /** Validates a draft as `traderadmin validate` would validate the file it gives. */
  validate(draft: Draft): ValidateResponse {
    const now = this.read();
    const c = this.candidate(now, draft);
    return scrub({ valid: c.valid, problems: c.problems }, this.secretsOf(now));
  }

  /** What applying a draft (or a whole text, for a restore) would change. */
  diff(input: { draft: Draft } | { text: string }): DiffResponse {
    const now = this.read();
    const c = 'draft' in input ? this.candidate(now, input.draft) : this.check(input.text);
    const after = c.text !== undefined ? safeParse(c.text) : undefined;
    const changes = now.raw && after ? keyChanges(now.raw, after) : [];
    let generated: string[] = [];
    if (c.valid && c.text !== undefined) {
      const before = checkConfigText(now.text, this.file, { env: this.env, readSecretFiles: false }).config;
      const next = checkConfigText(c.text, this.file, { env: this.env, readSecretFiles: false }).config!;
      generated = generatedChanges(
        before ? { config: before, file: this.file, sha256: now.sha256 } : undefined,
        { config: next, file: this.file, sha256: sha256(c.text) },
        this.env,
      );
    }
    return scrub({ valid: c.valid, problems: c.problems, changes, generated }, this.secretsOf(now, { raw: after }));
  }

  /**
   * Applies a draft (or restores a history version) when `ifMatch` is the sha256 of the file
   * now: 428 without it, 409 when the file changed, 400 with the problems when invalid, 502
   * when a reload failed (everything restored), 200 when all is in effect.
   */
  apply(
    input: ({ draft: Draft } | { restore: string }) & { reconfirm?: Reconfirmed },
    ifMatch: string | undefined,
    user: string,
  ): Promise<Answer<ApplyResponse | ConflictResponse | ValidateResponse | { error: string }>> {
    const run = this.queue.then(() => this.applyNow(input, ifMatch, user));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(
    input: ({ draft: Draft } | { restore: string }) & { reconfirm?: Reconfirmed },
    ifMatch: string | undefined,
    user: string,
  ): Promise<Answer<ApplyResponse | ConflictResponse | ValidateResponse | { error: string }>> {
    const now = this.read();
    const secrets = this.secretsOf(now);
    const expected = ifMatch?.replace(/^W\//, '').replace(/"/g, '').trim();
    if (!expected) return { status: 428, body: { error: 'send the sha256 of the file you edited as If-Match' } };
    if (expected !== now.sha256) {
      const base = this.history.list().find((h) => h.sha256 === expected);
      const baseText = base ? this.history.read(base.id)?.text : undefined;
      const changes = baseText && now.raw ? keyChanges(safeParse(baseText), now.raw) : [];
      return {
        status: 409,
        body: scrub(
          { error: 'config.toml changed since this page loaded it (another tab, or an edit of the file)', sha256: now.sha256, changes },
          secrets,
        ),
      };
    }

    let c: Candidate;
    let action: HistoryItem['action'] = 'apply';
    if ('restore' in input) {
      const version = this.history.read(input.restore);
      if (!version) return { status: 404, body: { error: `no version ${input.restore} in the history` } };
      c = this.check(version.text);
      action = 'restore';
    } else {
      c = this.candidate(now, input.draft);
    }
    if (!c.valid || c.text === undefined) return { status: 400, body: scrub({ valid: false, problems: c.problems }, secrets) };
    const after = safeParse(c.text);
    const allSecrets = [...secrets, ...literalSecrets(after)];
    // A stored secret is not sent somewhere new without its reference given again.
    const missing = missingReconfirmations(now.raw, after, input.reconfirm);
    if (missing.length > 0) {
      const what = missing.map((m) => `${m.channel}: ${m.keys.join(', ')}`).join('; ');
      return {
        status: 422,
        body: {
          error: `where a channel sends changes, so enter its secret reference again (reconfirm_secrets) in the same apply — ${what}`,
          reconfirm: missing,
        } as { error: string },
      };
    }
    const changes = keyChanges(now.raw, after);
    if (c.text === now.text) {
      return { status: 200, body: { ok: true, sha256: now.sha256, steps: [{ name: 'nothing to change', ok: true }], changes: [] } };
    }

    // The version being replaced goes into the history first, so that "go back" always works,
    // even for a file edited by hand since the last apply.
    const latest = this.history.list()[0];
    if (!latest || latest.sha256 !== now.sha256) {
      this.history.record({
        text: now.text,
        user: 'outside the page',
        action: 'initial',
        summary: latest ? 'the file as edited outside the page, before this change' : 'the file before the first change from this page',
      });
    }

    // The backup can hold secrets: it lives with the history (data folder, 0700/0600), never
    // beside config.toml where git would see it.
    mkdirSync(this.history.dir, { recursive: true, mode: 0o700 });
    const backup = path.join(this.history.dir, `${path.basename(this.file)}.bak`);
    writeFileAtomic(backup, now.text, 0o600);
    writeFileAtomic(this.file, c.text);
    this.logger.info(`${user} applies ${changes.length} change(s) to ${this.file}`, { user });
    const result = await this.deployer.deploy(this.file);
    if (result.ok) {
      const item = this.history.record({ text: c.text, user, action, summary: summarize(changes, action, input) });
      const body: ApplyResponse = { ok: true, sha256: sha256(c.text), steps: result.steps, historyId: item.id, changes };
      return { status: 200, body: scrub(body, allSecrets) };
    }

    // Something failed: the previous file back, and the previous configuration running again.
    writeFileAtomic(this.file, now.text);
    const rollback = await this.deployer.deploy(this.file);
    this.logger.error(
      `apply failed (${result.error}); config.toml restored${rollback.ok ? '' : `, but the rollback reload failed too: ${rollback.error}`}`,
    );
    const body: ApplyResponse = {
      ok: false,
      sha256: now.sha256,
      steps: result.steps,
      error: result.error ?? 'the configuration could not be put into effect',
      rolledBack: true,
      rollbackError: rollback.ok ? undefined : (rollback.error ?? 'the previous configuration could not be reloaded'),
      rollbackSteps: [
        { name: `${this.file} restored from ${backup}`, ok: true },
        ...rollback.steps,
        ...(rollback.ok ? [] : [{ name: `rollback reload failed: ${rollback.error}`, ok: false }]),
      ],
      changes,
    };
    return { status: 502, body: scrub(body, allSecrets) };
  }
}

function safeParse(text: string): unknown {
  try {
    return parseToml(text);
  } catch {
    return undefined;
  }
}

function summarize(changes: KeyChange[], action: HistoryItem['action'], input: { draft: Draft } | { restore: string }): string {
  const head = action === 'restore' && 'restore' in input ? `restored ${input.restore}: ` : '';
  const parts = changes
    .slice(0, 3)
    .map((c) => `${c.path.replace(/^alerts_config\./, '')} ${c.before ?? '(unset)'} → ${c.after ?? '(unset)'}`);
  const more = changes.length > 3 ? `, and ${changes.length - 3} more` : '';
  return `${head}${parts.join(', ')}${more}`;
}
