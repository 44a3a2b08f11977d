/** A small line-based unified diff (LCS), enough for generated config files. */

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

function ops(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i:] and b[j:]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: ' ', line: a[i], a: i++, b: j++ });
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ kind: '-', line: a[i], a: i++, b: j });
    } else {
      out.push({ kind: '+', line: b[j], a: i, b: j++ });
    }
  }
  return out;
}

/** Unified diff of two texts ('' when equal). */
export function unifiedDiff(before: string, after: string, fromName: string, toName: string, context = 3): string {
  if (before === after) return '';
  const split = (t: string) => (t === '' ? [] : t.replace(/\n$/, '').split('\n'));
  const all = ops(split(before), split(after));
  const lines = [`--- ${fromName}`, `+++ ${toName}`];
  let k = 0;
  while (k < all.length) {
    if (all[k].kind === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // extend the hunk while changes are within 2×context of each other
    for (;;) {
      while (end < all.length && all[end].kind !== ' ') end++;
      let next = end;
      while (next < all.length && all[next].kind === ' ' && next - end < 2 * context) next++;
      if (next < all.length && all[next].kind !== ' ' && next - end < 2 * context) end = next;
      else break;
    }
    const stop = Math.min(all.length, end + context);
    const hunk = all.slice(start, stop);
    const aStart = hunk[0].a;
    const bStart = hunk[0].b;
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    lines.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`);
    for (const o of hunk) lines.push(`${o.kind}${o.line}`);
    k = stop;
  }
  return `${lines.join('\n')}\n`;
}
