// `node --import tsx bench/dashboard-idle.ts [seconds] [apps]`: the daemon's CPU with the web dashboard open
// on idle apps (issue 14's target: under 1% of one core over 60 s with 20 apps). The same window is measured
// three ways in a row: HTTP API on and no page open, then the dashboard open in headless Chromium (signed in,
// both event streams live), then the page closed again. Uses the built daemon (npm run build) in a temporary
// TEND_HOME, Debian's chromium, and ends everything it started.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { connect } from '../src/client/client.js';
import { chromiumMissing, launchChromium } from '../test/helpers/browser.js';
import { freePort } from '../test/helpers/free-port.js';
import { makeTmpHome } from '../test/helpers/tmp-home.js';
import { cpuSeconds, rssBytes } from './lib/proc.js';

const seconds = Number(process.argv[2] ?? 60);
const apps = Number(process.argv[3] ?? 20);
const ROOT = join(import.meta.dirname, '..');
const tmp = makeTmpHome();

const cli = (args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'tend.js'), ...args],
      { env: { ...process.env, TEND_HOME: tmp.home } },
      (err, out, stderr) => (err ? reject(new Error(`tend ${args.join(' ')}: ${stderr}`)) : resolve(out)),
    ),
  );
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function window(pid: number, what: string): Promise<number> {
  const c0 = cpuSeconds(pid)!;
  const t0 = performance.now();
  await wait(seconds * 1000);
  const cpu = ((cpuSeconds(pid)! - c0) * 1000 * 100) / (performance.now() - t0);
  const rss = (rssBytes(pid)! / 1024 / 1024).toFixed(1);
  console.log(
    `${what.padEnd(34)} daemon CPU ${cpu.toFixed(2)}% of one core over ${seconds} s, RSS ${rss} MiB`,
  );
  return cpu;
}

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const port = await freePort();
  const web = JSON.parse(await cli(['web', '--port', String(port), '--json'])) as { login_url: string };
  const client = await connect({ home: tmp.home, spawn: false });
  const { pid } = await client.daemon();
  await client.call('app.start', {
    apps: Array.from({ length: apps }, (_, i) => ({
      name: `idle-${i}`,
      script: join(ROOT, 'bench', 'apps', 'idle.cjs'),
    })),
    base_dir: ROOT,
  });
  console.log(`${apps} idle apps, daemon pid ${pid}, API on 127.0.0.1:${port}; ${seconds} s windows`);
  await wait(5000); // start-up work (first samples, log files) out of the windows
  await window(pid, 'API on, no page open');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(web.login_url);
    await page.locator('tr[data-key="app:idle-0"]').waitFor({ timeout: 30_000 });
    await wait(2000);
    await window(pid, 'dashboard open (2 SSE streams)');
    await page.close();
  } finally {
    await browser.close();
  }
  await wait(2000);
  await window(pid, 'page closed');
  await client.close();
}

main()
  .catch((err) => {
    console.error(String(err));
    process.exitCode = 1;
  })
  .finally(async () => {
    await cli(['kill']).catch(() => {});
    tmp.remove();
  });
