// Copies a child's stdout and stderr to ours, each line prefixed with `tag`, so the output of
// steps that run side by side (scripts/together.mjs, npm test's two installs) stays readable.
// Plain JavaScript on purpose: it runs before anything is installed or compiled.

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
