// Copies a child's stdout and stderr to ours, each line prefixed with `tag`, so the output of
// steps that run side by side (scripts/together.mjs, npm test's lanes) stays readable.
// Plain JavaScript on purpose: it runs before anything is installed or compiled.
import { spawn } from 'node:child_process';

/** Pipes `child`'s output through with `tag` before each line; blank lines are dropped when `skipBlank`. */
export function pipePrefixed(child, tag, { skipBlank = false } = {}) {
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    let partial = '';
    const write = (line) => (skipBlank && !line.trim() ? undefined : to.write(`${tag} ${line}\n`));
    from.on('data', (d) => {
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) write(line);
    });
    from.on('end', () => partial && write(partial));
  }
}

/**
 * Runs `npm run <script>` with its lines prefixed by `[script]` (padded to `width`), says how it
 * ended and how long it took, and resolves its exit code (0 when it passed).
 */
export function runScript(script, width = script.length) {
  const started = Date.now();
  const tag = `[${script.padEnd(width)}]`;
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    pipePrefixed(child, tag);
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const ok = code === 0;
      (ok ? process.stdout : process.stderr).write(`${tag} ${ok ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`} in ${secs} s\n`);
      resolve(ok ? 0 : (code ?? 1));
    });
  });
}
