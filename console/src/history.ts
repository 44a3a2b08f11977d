/**
 * The history of applied configurations: each apply (and the version it replaced, the first
 * time) is kept as the full config.toml text plus who, when and what, in a folder only the
 * owner can read (the text may hold secrets written in clear). The newest `keep` are kept.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { HistoryItem } from './shared/api.js';
import { writeFileAtomic } from './files.js';

export interface HistoryOptions {
  /** Folder of the history (created when missing). */
  dir: string;
  /** How many versions to keep. @default 50 */
  keep?: number;
  /** @default () => new Date() */
  clock?: () => Date;
}

export interface RecordInput {
  text: string;
  user: string;
  action: HistoryItem['action'];
  summary: string;
}

/** 00000012-20261121T110500123Z-1a2b3c4d: sequence, time, start of the sha256. */
const ID = /^\d{8}-\d{8}T\d{9}Z-[0-9a-f]{8}$/;
const ID_FILE = /^\d{8}-\d{8}T\d{9}Z-[0-9a-f]{8}\.json$/;

export const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Applied configurations, newest first, kept as files in one folder. */
export class ConfigHistory {
  readonly dir: string;
  private readonly keep: number;
  private readonly clock: () => Date;

  constructor(options: HistoryOptions) {
    this.dir = options.dir;
    this.keep = options.keep ?? 50;
    this.clock = options.clock ?? (() => new Date());
  }

  /** Every kept version, newest first. */
  list(): HistoryItem[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const items: HistoryItem[] = [];
    for (const name of names
      .filter((n) => n.endsWith('.json'))
      .sort()
      .reverse()) {
      try {
        items.push(JSON.parse(readFileSync(path.join(this.dir, name), 'utf8')) as HistoryItem);
      } catch {
        // A version being pruned by another process, or a stray file: not part of the history.
      }
    }
    return items.filter((item) => ID.test(item.id));
  }

  /** One version and its full text, or undefined for an unknown (or malformed) id. */
  read(id: string): { item: HistoryItem; text: string } | undefined {
    if (!ID.test(id)) return undefined;
    try {
      const item = JSON.parse(readFileSync(path.join(this.dir, `${id}.json`), 'utf8')) as HistoryItem;
      const text = readFileSync(path.join(this.dir, `${id}.toml`), 'utf8');
      return { item, text };
    } catch {
      return undefined;
    }
  }

  /** Keeps a version; the oldest beyond `keep` are deleted. */
  record(input: RecordInput): HistoryItem {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const at = this.clock();
    const hash = sha256(input.text);
    // A sequence number first: names sort in recording order even if the clock steps back.
    const last = readdirSync(this.dir)
      .filter((n) => ID_FILE.test(n))
      .sort()
      .at(-1);
    const seq = String((last ? Number(last.slice(0, 8)) : 0) + 1).padStart(8, '0');
    const id = `${seq}-${at.toISOString().replace(/[-:.]/g, '')}-${hash.slice(0, 8)}`;
    const item: HistoryItem = { id, at: at.toISOString(), user: input.user, sha256: hash, action: input.action, summary: input.summary };
    // The text first: a listed version always has its text.
    writeFileAtomic(path.join(this.dir, `${id}.toml`), input.text, 0o600);
    writeFileAtomic(path.join(this.dir, `${id}.json`), `${JSON.stringify(item, null, 2)}\n`, 0o600);
    this.prune();
    return item;
  }

  private prune(): void {
    const items = this.list();
    for (const old of items.slice(this.keep)) {
      rmSync(path.join(this.dir, `${old.id}.json`), { force: true });
      rmSync(path.join(this.dir, `${old.id}.toml`), { force: true });
    }
  }
}
