import { checkConfigText, type LocatedProblem } from '../src/index.js';

/** Validates TOML text with an empty environment unless one is given. */
export function check(text: string, env: NodeJS.ProcessEnv = {}) {
  return checkConfigText(text, 'config.toml', { env });
}

/** Problems as compact lines: `line key: message`. */
export function problemLines(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  return check(text, env).problems.map((p: LocatedProblem) => `${p.line ?? '-'} ${p.severity} ${p.path}: ${p.message}`);
}
