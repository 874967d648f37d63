// 16. Dashboard idle (issue 14): the daemon's CPU over 60 s (`utime + stime` of /proc/<pid>/stat, as % of one
// core) with 20 idle apps and the web dashboard open in headless Chromium (signed in with `tend web`'s
// one-time link, both event streams live), against the window just before with the API on and no page open.
// Debian's chromium driven by playwright-core (test/helpers/browser.ts); without it the rows say why.
// --quick shortens the windows to 2 s.
import { startIdleApps } from '../lib/apps.js';
import { nowMs } from '../lib/child.js';
import type { Scenario } from '../lib/context.js';
import { mustCpuSeconds, rssMiB } from '../lib/proc.js';
import { type Cell, cell, NONE, na, type Row } from '../lib/rows.js';

const PM2_NA = na('n/a (no dashboard in the daemon)');

export const scenario: Scenario = {
  number: 16,
  id: 'dashboard-idle',
  title: 'daemon CPU over 60 s with the dashboard open on 20 idle apps',
  async run(ctx) {
    const apps = ctx.size(20, 3);
    const seconds = ctx.size(60, 2);
    const rows = (page: Cell, noPage: Cell, rss: Cell, note: string): Row[] => {
      const base = { number: scenario.number, scenario: scenario.id, pm2: PM2_NA };
      return [
        {
          ...base,
          label: `daemon CPU, ${seconds} s, ${apps} idle apps, dashboard open; floor: no page`,
          unit: '% core',
          tend: page,
          floor: noPage,
          targets: [{ kind: 'abs', op: '<=', value: 1 }],
          note,
        },
        { ...base, label: 'daemon RSS, dashboard open', unit: 'MiB', tend: rss, floor: NONE, targets: [] },
      ];
    };
    // Imported here: the bench loads playwright-core only when this scenario runs.
    const { chromiumMissing, launchChromium } = await import('../../test/helpers/browser.js');
    const missing = chromiumMissing();
    if (missing) {
      const why = na(`skipped: ${missing}`);
      return { rows: rows(why, NONE, why, missing) };
    }

    const t = await ctx.tend();
    const port = await ctx.freePort();
    const web = JSON.parse((await t.run(['web', '--port', String(port), '--json'])).stdout) as {
      login_url: string;
    };
    await startIdleApps(ctx, t, apps, 'idle-');
    const pid = t.daemonPid();
    // The window is the measurement: nothing happens in it, so the bench sleeps.
    const window = async (): Promise<number> => {
      const c0 = mustCpuSeconds(pid);
      const t0 = nowMs();
      await new Promise((r) => setTimeout(r, seconds * 1000));
      return ((mustCpuSeconds(pid) - c0) * 1000 * 100) / (nowMs() - t0);
    };
    const noPage = await window();
    const browser = await launchChromium();
    let page: number;
    let rss: number;
    try {
      const tab = await browser.newPage();
      await tab.goto(web.login_url);
      // Signed in and the first snapshot drawn: the last app's row is on the page.
      await tab.locator(`tr[data-key="app:idle-${apps - 1}"]`).waitFor({ timeout: 30_000 });
      page = await window();
      rss = rssMiB(pid);
      await tab.close();
    } finally {
      await browser.close();
    }
    return {
      rows: rows(
        cell([page]),
        cell([noPage]),
        cell([rss]),
        `API on by \`tend web\`; windows of ${seconds} s, one after the other: no page, then the page open ` +
          '(signed in, /api/v1/events and the log stream live); /proc counts 10 ms ticks',
      ),
    };
  },
};
