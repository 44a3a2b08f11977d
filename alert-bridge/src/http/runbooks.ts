/**
 * Renders docs/runbooks.md as one plain HTML page. Each heading gets an anchor equal to its
 * text lower-cased without spaces, so runbook_url `…/runbooks#orderlatencyhigh` lands on
 * "## OrderLatencyHigh". A small, escaped subset of Markdown: headings, paragraphs, lists,
 * fenced code, inline code, bold, italics and links.
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The anchor of a heading: "OrderLatencyHigh" → "orderlatencyhigh". */
export function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function inline(text: string): string {
  let out = esc(text);
  out = out.replace(/`([^`]+)`/g, '<code>$1</code>');
  out = out.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  out = out.replace(/(^|[\s(])\*([^*]+)\*/g, '$1<em>$2</em>');
  out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) => {
    const safe = /^(https?:|#|\/|\.\/)/.test(href) ? href : '#';
    return `<a href="${safe}">${label}</a>`;
  });
  return out;
}

/** Markdown → an HTML document. */
export function renderRunbooks(markdown: string, title = 'TraderAdmin runbooks'): string {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  let list: 'ul' | 'ol' | undefined;
  let code: string[] | undefined;
  const flush = () => {
    if (para.length) out.push(`<p>${inline(para.join(' '))}</p>`);
    para = [];
  };
  const closeList = () => {
    if (list) out.push(`</${list}>`);
    list = undefined;
  };
  for (const line of lines) {
    if (code) {
      if (/^```/.test(line)) {
        out.push(`<pre><code>${esc(code.join('\n'))}</code></pre>`);
        code = undefined;
      } else code.push(line);
      continue;
    }
    if (/^```/.test(line)) {
      flush();
      closeList();
      code = [];
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*$/.exec(line);
    if (h) {
      flush();
      closeList();
      const level = h[1].length;
      out.push(`<h${level} id="${anchorOf(h[2])}">${inline(h[2])}</h${level}>`);
      continue;
    }
    const li = /^\s*([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (li) {
      flush();
      const kind = /\d/.test(li[1]) ? 'ol' : 'ul';
      if (list !== kind) {
        closeList();
        out.push(`<${kind}>`);
        list = kind;
      }
      out.push(`<li>${inline(li[2])}</li>`);
      continue;
    }
    if (line.trim() === '') {
      flush();
      closeList();
      continue;
    }
    closeList();
    para.push(line.trim());
  }
  if (code) out.push(`<pre><code>${esc(code.join('\n'))}</code></pre>`);
  flush();
  closeList();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .2em}pre{background:#f3f3f3;padding:.6em;overflow:auto}h2{border-top:1px solid #ddd;padding-top:1rem}</style>
</head><body>
${out.join('\n')}
</body></html>
`;
}
