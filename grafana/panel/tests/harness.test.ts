/**
 * @jest-environment node
 *
 * The built plugin in real headless Chromium (Debian's), fed from a real Prometheus that
 * scrapes the exporter on the IB Gateway emulator (started by the root workspace's live
 * stack). Screenshots of both themes go to test-results/. Run after `npm run build`.
 */
import { spawn, ChildProcess } from 'child_process';
import fs from 'fs';
import http from 'http';
import path from 'path';
import { AddressInfo } from 'net';
import { build } from 'esbuild';
import { chromium, Browser } from 'playwright-core';

jest.setTimeout(60_000);

const PANEL = path.resolve(__dirname, '..');
const REPO = path.resolve(PANEL, '../..');
const OUT = path.join(PANEL, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The flags every browser test of the repository uses (console/test/browser.ts reads the same file).
const FLAGS: string[] = JSON.parse(fs.readFileSync(path.join(REPO, 'test-support/chromium-flags.json'), 'utf8'));

let stackProc: ChildProcess | undefined;
let stack: { prometheusUrl: string; account: string };
let server: http.Server;
let base: string;
let browser: Browser;
let settled: Promise<unknown> | undefined;

/** Starts grafana/src/bin/liveStack.ts (emulator → exporter → Prometheus) and reads its JSON line. */
function startStack(): Promise<{ prometheusUrl: string; account: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'grafana/src/bin/liveStack.ts')], {
      cwd: REPO,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    stackProc = child;
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`live stack exited with ${code}:\n${err}`)));
  });
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.html': 'text/html',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
};

function serve(res: http.ServerResponse, file: string) {
  if (!fs.existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(PANEL, 'dist/module.js')))
    throw new Error('dist/module.js is missing: run `npm run build` first');
  const starting = [
    // Fills and a few samples, so the screenshot shows markers and a curve rather than a dot:
    // 12 s of live data from the stack's start, while the harness is bundled and Chromium starts.
    startStack().then(async (started) => {
      await new Promise((r) => setTimeout(r, 12_000));
      return started;
    }),
    build({
      entryPoints: [path.join(PANEL, 'harness/main.tsx')],
      bundle: true,
      outdir: path.join(OUT, 'harness'),
      format: 'iife',
      platform: 'browser',
      define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
      loader: { '.svg': 'text', '.woff2': 'file', '.woff': 'file', '.ttf': 'file', '.png': 'file' },
      logLevel: 'error',
    }),
    // Kept at once, so that afterAll closes it even when the stack fails to start.
    chromium.launch({ executablePath: CHROMIUM, args: FLAGS }).then((b) => (browser = b)),
  ] as const;
  settled = Promise.allSettled(starting);
  const [s] = await Promise.all(starting);
  stack = s;
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/prom/')) {
      // Same-origin proxy, like Grafana's data source proxy (access: proxy).
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const upstream = await fetch(stack.prometheusUrl + url.pathname.slice('/prom'.length) + url.search, {
        method: req.method,
        body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
      });
      res
        .writeHead(upstream.status, { 'content-type': 'application/json' })
        .end(Buffer.from(await upstream.arrayBuffer()));
    } else if (url.pathname === '/') serve(res, path.join(PANEL, 'harness/index.html'));
    else if (url.pathname === '/dashboard.json')
      serve(res, path.join(REPO, 'grafana/dashboards/trading-overview.json'));
    else if (url.pathname.startsWith('/dist/')) serve(res, path.join(PANEL, path.normalize(url.pathname)));
    else if (url.pathname.startsWith('/harness/')) serve(res, path.join(OUT, path.normalize(url.pathname)));
    // Grafana serves @grafana/ui's icons from public/build/img/icons.
    else if (url.pathname.startsWith('/public/build/img/'))
      serve(
        res,
        path.join(
          PANEL,
          'node_modules/@grafana/ui/dist/public/img',
          path.normalize(url.pathname.slice('/public/build/img'.length))
        )
      );
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The stack's start, the bundling and Chromium's start run together; on a loaded machine they
  // can take over a minute.
}, 120_000);

afterAll(async () => {
  // What was still starting when beforeAll failed ends first (30 s at most), so it is stopped below.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([settled, new Promise((r) => (timer = setTimeout(r, 30_000)))]);
  clearTimeout(timer);
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  if (stackProc && stackProc.exitCode === null) {
    const exited = new Promise((r) => stackProc!.once('exit', r));
    stackProc.kill('SIGTERM');
    await exited;
  }
});

/** Pixels of a canvas close to a CSS colour (the page converts the colour to RGB). */
const COUNT_PIXELS = `(([index, colour]) => {
  const probe = document.createElement('canvas').getContext('2d');
  probe.fillStyle = colour;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  const canvas = document.querySelectorAll('.uplot canvas')[index];
  const ctx = canvas.getContext('2d');
  const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && Math.abs(d[i] - r) < 24 && Math.abs(d[i + 1] - g) < 24 && Math.abs(d[i + 2] - b) < 24) n++;
  return n;
})`;

describe.each(['dark', 'light'])('the equity panel in Chromium, %s theme, live data', (theme) => {
  it('loads dist/module.js, draws curve and underwater chart in theme colours, updates, and is screenshotted', async () => {
    const page = await browser.newPage({ viewport: { width: 1140, height: 500 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
    await page.goto(`${base}/?theme=${theme}&account=${stack.account}&range=120&refresh=2`);
    await page
      .waitForFunction(() => window.__harness?.ready || window.__harness?.error, undefined, { timeout: 30_000 })
      .catch((e) => {
        throw new Error(`the harness never became ready: ${e}\npage errors:\n${errors.join('\n')}`);
      });
    const state = await page.evaluate(() => window.__harness);
    expect(state.error).toBeUndefined();
    expect(state.refIds).toEqual(expect.arrayContaining(['equity', 'executions']));
    expect(state.points).toBeGreaterThan(5);

    await page.waitForSelector('[data-testid="equity-curve-panel"] .uplot canvas');
    expect(await page.locator('.uplot').count()).toBe(2);
    const summary = await page.locator('[data-testid="equity-summary"]').innerText();
    expect(summary).toMatch(/Equity\s*\$\d+(\.\d+)?K/);
    expect(summary).toMatch(/Max drawdown\s*-?\d+\.\d{2}%/);
    expect(summary).toMatch(/Limit\s*-5\.00%/);

    // The equity line in the theme's blue on the top chart, the underwater line in its error red below.
    expect(await page.evaluate(`${COUNT_PIXELS}([0, ${JSON.stringify(state.colours.equity)}])`)).toBeGreaterThan(50);
    expect(await page.evaluate(`${COUNT_PIXELS}([1, ${JSON.stringify(state.colours.drawdown)}])`)).toBeGreaterThan(0);

    // Hovering shows the tooltip with Grafana-formatted values, moves the underwater chart's
    // cursor to the same place, and publishes the hover time for the other panels (shared crosshair).
    // Refreshes are held meanwhile: each rebuilds the charts, which would drop the hover.
    await page.evaluate(async () => {
      window.__harness.hold = true;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    });
    const box = (await page.locator('.uplot').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await expect(page.locator('[data-testid="equity-tooltip"]').first().innerText()).resolves.toMatch(
      /Equity\s*\$[\d.]+K[\s\S]*Drawdown\s*-?\d+\.\d{2}%/
    );
    const cursors = await page.evaluate(() =>
      [...document.querySelectorAll('.uplot .u-cursor-x')].map((c) => c.getBoundingClientRect().left)
    );
    expect(cursors).toHaveLength(2);
    expect(Math.abs(cursors[0] - (box.x + box.width * 0.9))).toBeLessThan(box.width * 0.05);
    expect(Math.abs(cursors[1] - cursors[0])).toBeLessThanOrEqual(1);
    await page.waitForFunction(() => typeof window.__harness.hoverTime === 'number', undefined, { timeout: 5_000 });
    await page.mouse.move(0, 0);
    await page.evaluate(() => (window.__harness.hold = false));

    // New samples arrive (1 s scrapes, 2 s refresh): the panel re-renders with a later sample.
    const first = state.lastSampleTime!;
    await page.waitForFunction((t) => (window.__harness.lastSampleTime ?? 0) > t, first, { timeout: 15_000 });

    fs.mkdirSync(OUT, { recursive: true });
    const file = path.join(OUT, `equity-curve-${theme}.png`);
    await page.screenshot({ path: file });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
