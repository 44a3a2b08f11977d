/**
 * The console's two HTML documents, put together once at start: web/page.html holds what they
 * share (doctype, meta tags, icon, stylesheet), web/app.html and web/login.html each one's body.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Pages {
  /** The one page of the three views; loads /app.js. */
  app: string;
  /** The sign-in form, with an `<!--error-->` slot for the message of a refused token. */
  login: string;
}

/** Reads the templates in `web` (the console's web/ folder). */
export function readPages(web: string): Pages {
  const read = (name: string) => readFileSync(path.join(web, name), 'utf8');
  const shell = read('page.html');
  // Replacer functions: a `$` in a body must stay a `$`, not a replacement pattern.
  const page = (title: string, body: string, head = '') =>
    shell
      .replace('{{TITLE}}', () => title)
      .replace('<!--head-->', () => head)
      // A fragment's first-line comment is for whoever edits it, not for the browser.
      .replace('<!--body-->', () =>
        read(body)
          .replace(/^<!--[^]*?-->\n/, '')
          .trimEnd(),
      );
  return {
    app: page('TraderAdmin', 'app.html', '<script type="module" src="/app.js"></script>'),
    login: page('Sign in · Alerts configuration · TraderAdmin', 'login.html'),
  };
}
