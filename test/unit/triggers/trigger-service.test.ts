// The restart triggers wired to a real Supervisor with scripted children, a fake clock, a scripted watcher
// and a scripted memory probe: attach on add (however the app is added), detach on stop and delete, restart
// once per debounced burst, count apart from crash restarts, cron starts a stopped app.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import type { AppSpec } from '../../../src/config/spec.js';
import type { ProcessUnit } from '../../../src/supervisor/unit.js';
import { TriggerService } from '../../../src/triggers/trigger-service.js';
import { type FsWatcher, type OpenWatcher, WatchTrigger } from '../../../src/triggers/watch.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import type { FakeWorker } from '../../helpers/fake-spawner.js';
import { makeSpec } from '../../helpers/spec.js';
import { setup as supervisorSetup } from '../../helpers/supervisor.js';

class FakeWatcher extends EventEmitter implements FsWatcher {
  closed = false;
  constructor(
    readonly paths: readonly string[],
    readonly options: Record<string, unknown>,
  ) {
    super();
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  change(file: string): void {
    this.emit('all', 'change', file);
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(now = Date.parse('2026-03-01T00:30:00Z')) {
  const base = supervisorSetup(now);
  const { clock, spawner, bus, events, log, supervisor } = base;
  const watchers: FakeWatcher[] = [];
  const openWatcher: OpenWatcher = (paths, options) => {
    const w = new FakeWatcher(paths, options);
    watchers.push(w);
    return w;
  };
  const rss = new Map<number, number>();
  let samples = 0;
  const memory = {
    sample(pids: readonly number[]) {
      samples++;
      return new Map(pids.filter((p) => rss.has(p)).map((p) => [p, rss.get(p) as number]));
    },
  };
  const triggers = new TriggerService({
    supervisor,
    bus,
    clock,
    openWatcher,
    memory,
    home: '/home/me/.tend',
    log: (line) => log.push(line),
  });
  /** Adds and starts an app; returns its units. */
  const start = async (over: Partial<AppSpec>) => {
    const units = supervisor.add(makeSpec(over));
    await supervisor.start(units, false);
    // Cluster workers are online once they listen.
    for (const c of spawner.children) if (c.req.cluster) (c as FakeWorker).listening(3000);
    await tick(); // the watcher opens asynchronously
    return units;
  };
  /** The child of a unit exits as asked (the stop signal): the restart completes. */
  const exitAll = base.exitSignalled;
  return {
    clock,
    spawner,
    bus,
    events,
    log,
    supervisor,
    watchers,
    rss,
    memory,
    triggers,
    start,
    exitAll,
    samples: () => samples,
  };
}

const info = (u: ProcessUnit) => u.info();

describe('watch', () => {
  test('a watcher ready at once (chokidar may say so on process.nextTick) is seen ready', async () => {
    const statuses: boolean[] = [];
    const w = new WatchTrigger(makeSpec({ watch: ['/srv'] }), {
      clock: new FakeClock(),
      open: (paths, options) => {
        const f = new FakeWatcher(paths, options);
        process.nextTick(() => f.emit('ready'));
        return f;
      },
      home: '/home/me/.tend',
      log: () => {},
      onStatus: (watching) => statuses.push(watching),
      onChange: () => {},
    });
    w.start();
    await tick();
    assert.deepEqual(statuses, [true]);
    await w.close();
    assert.deepEqual(statuses, [true, false]);
  });

  test('a burst of changes restarts once, watch_delay after the last change; ignored paths never', async () => {
    const t = setup();
    const [unit] = (await t.start({ watch: ['/srv'], watch_delay: 1000 })) as [ProcessUnit];
    const [w] = t.watchers as [FakeWatcher];
    assert.deepEqual(w.paths, ['/srv']);
    assert.equal(w.options.ignoreInitial, true);
    w.emit('ready');
    assert.equal(info(unit).watching, true);
    assert.ok(t.events.some((e) => e.event === 'app.watch' && e.data.watching));

    // ignored: node_modules, .git, tend's home
    w.change('/srv/node_modules/x/index.js');
    w.change('/srv/.git/index');
    t.clock.advance(10_000);
    assert.deepEqual(t.spawner.children[0]?.signals, []);

    for (let i = 0; i < 100; i++) {
      w.change(`/srv/src/f${i}.js`);
      t.clock.advance(5);
    }
    t.clock.advance(1000 - 5 - 1);
    assert.deepEqual(t.spawner.children[0]?.signals, [], 'not before watch_delay after the last change');
    t.clock.advance(1);
    await tick();
    assert.deepEqual(t.spawner.children[0]?.signals, ['SIGINT']);
    t.exitAll();
    await tick();
    assert.equal(unit.status, 'online');
    assert.equal(t.spawner.children.length, 2);
    const p = info(unit);
    assert.deepEqual([p.restarts, p.watch_restarts, p.memory_restarts, p.cron_restarts], [1, 1, 0, 0]);
    assert.match(unit.restartHistory().at(-1)?.reason ?? '', /^watch: src\/f0\.js changed \(and 99 more\)$/);
    assert.ok(t.log.some((l) => l.includes('watch: src/f0.js changed')));
    const triggered = t.events.filter((e) => e.event === 'process.triggered');
    assert.equal(triggered.length, 1);
  });

  test('stop closes the watcher and drops a pending burst; start opens a new one', async () => {
    const t = setup();
    const units = await t.start({ watch: ['/srv'], watch_delay: 500 });
    const [w] = t.watchers as [FakeWatcher];
    w.emit('ready');
    w.change('/srv/a.js');
    await t.supervisor.stop(units, false);
    t.exitAll();
    await tick();
    assert.equal(w.closed, true);
    assert.equal(info(units[0] as ProcessUnit).watching, false);
    t.clock.advance(5000);
    assert.equal(t.spawner.children.length, 1, 'no restart after stop');
    assert.ok(t.events.some((e) => e.event === 'app.watch' && !e.data.watching));

    await t.supervisor.start(units, false);
    await tick();
    assert.equal(t.watchers.length, 2);
    assert.equal(t.watchers[1]?.closed, false);
  });

  test('watch false attaches nothing; delete closes the watcher', async () => {
    const t = setup();
    await t.start({ name: 'plain' });
    assert.equal(t.watchers.length, 0);
    const units = await t.start({ name: 'w', watch: ['/srv'] });
    // delete waits for the stop: the child exits as asked
    const deleting = t.supervisor.delete(units);
    t.exitAll();
    await deleting;
    await tick();
    assert.equal(t.watchers[0]?.closed, true);
  });

  test('a cluster app is reloaded (a new worker beside the old one), not stopped', async () => {
    const t = setup();
    const units = await t.start({ watch: ['/srv'], exec_mode: 'cluster', instances: 2 });
    const [w] = t.watchers as [FakeWatcher];
    w.emit('ready');
    w.change('/srv/a.js');
    t.clock.advance(1000);
    await tick();
    assert.equal(t.spawner.children.length, 3, 'a replacement for the first worker');
    assert.ok(t.spawner.children[2]?.req.cluster);
    assert.deepEqual(
      t.spawner.children[0]?.signals,
      [],
      'the old worker serves on until the new one is ready',
    );
    assert.deepEqual(
      units.map((u) => u.status),
      ['online', 'online'],
    );
    assert.deepEqual(
      units.map((u) => info(u).watch_restarts),
      [1, 1],
    );
  });
});

describe('memory limit', () => {
  test('an instance above the limit is restarted, counted apart; below it is not; a stopped app is not sampled', async () => {
    const t = setup();
    const [unit] = (await t.start({ max_memory_restart: 100 * 1024 ** 2, memory_check_interval: 1000 })) as [
      ProcessUnit,
    ];
    const pid = unit.pid as number;
    t.rss.set(pid, 90 * 1024 ** 2);
    t.clock.advance(1000);
    assert.deepEqual(t.spawner.children[0]?.signals, []);
    t.rss.set(pid, 150 * 1024 ** 2);
    t.clock.advance(1000);
    await tick();
    assert.deepEqual(t.spawner.children[0]?.signals, ['SIGINT']);
    t.exitAll();
    await tick();
    const p = info(unit);
    assert.deepEqual([p.restarts, p.memory_restarts, p.watch_restarts], [1, 1, 0]);
    assert.match(
      unit.restartHistory().at(-1)?.reason ?? '',
      /^memory: memory 150\.0 MiB above max_memory_restart 100\.0 MiB$/,
    );

    await t.supervisor.stop([unit], false);
    t.exitAll();
    const before = t.samples();
    t.clock.advance(10_000);
    assert.equal(t.samples(), before, 'no sampling while stopped');
  });

  test('an app without a limit is never sampled', async () => {
    const t = setup();
    await t.start({});
    t.clock.advance(60_000);
    assert.equal(t.samples(), 0);
  });
});

describe('cron', () => {
  test('restarts an online app at each run, and shows the next run', async () => {
    const t = setup(Date.parse('2026-03-01T00:30:00Z'));
    const [unit] = (await t.start({ cron_restart: '0 * * * *', cron_restart_tz: 'UTC' })) as [ProcessUnit];
    assert.equal(info(unit).next_cron_at, Date.parse('2026-03-01T01:00:00Z'));
    t.clock.advance(30 * 60_000 - 1);
    assert.deepEqual(t.spawner.children[0]?.signals, []);
    t.clock.advance(1);
    await tick();
    assert.deepEqual(t.spawner.children[0]?.signals, ['SIGINT']);
    t.exitAll();
    await tick();
    assert.equal(unit.status, 'online');
    assert.equal(info(unit).cron_restarts, 1);
    assert.equal(info(unit).next_cron_at, Date.parse('2026-03-01T02:00:00Z'));
  });

  test('6 fields and a time zone', async () => {
    const t = setup(Date.parse('2026-03-01T01:00:00Z'));
    const [a] = (await t.start({ name: 'a', cron_restart: '*/15 * * * * *' })) as [ProcessUnit];
    assert.equal(info(a).next_cron_at, Date.parse('2026-03-01T01:00:15Z'));
    const [b] = (await t.start({ name: 'b', cron_restart: '0 9 * * *', cron_restart_tz: 'Asia/Tokyo' })) as [
      ProcessUnit,
    ];
    assert.equal(info(b).next_cron_at, Date.parse('2026-03-02T00:00:00Z'));
  });

  test('an app only added (as the recovery of a saved list does) is started at the next run', async () => {
    const t = setup(Date.parse('2026-03-01T00:00:30Z'));
    const [unit] = t.supervisor.add(makeSpec({ cron_restart: '* * * * *', autorestart: false })) as [
      ProcessUnit,
    ];
    assert.equal(unit.status, 'stopped');
    assert.equal(info(unit).next_cron_at, Date.parse('2026-03-01T00:01:00Z'));
    t.clock.advance(30_000);
    await tick();
    assert.equal(unit.status, 'online');
    assert.equal(info(unit).cron_restarts, 1);
    assert.match(unit.restartHistory().at(-1)?.reason ?? '', /starting/);
    // a job that exits when done runs again at the next run
    t.spawner.last.exit(0);
    assert.equal(unit.status, 'stopped');
    t.clock.advance(60_000);
    await tick();
    assert.equal(unit.status, 'online');
    assert.equal(t.spawner.children.length, 2);
  });

  test('delete ends the schedule; a new daemon computes the next run from its own now', async () => {
    const t = setup(Date.parse('2026-03-01T00:00:30Z'));
    const units = await t.start({ cron_restart: '0 0 * * *', cron_restart_tz: 'UTC' });
    const deleting = t.supervisor.delete(units);
    t.exitAll();
    await deleting;
    t.clock.advance(2 * 86_400_000);
    assert.equal(t.spawner.children.length, 1);
    assert.equal(t.clock.nextIn(), null, 'no timer left');

    // "after a restart": the same spec, added to a new supervisor at a later time
    const later = setup(Date.parse('2026-03-05T12:00:00Z'));
    const [unit] = later.supervisor.add(units[0]?.spec as AppSpec) as [ProcessUnit];
    assert.equal(info(unit).next_cron_at, Date.parse('2026-03-06T00:00:00Z'));
  });

  test('closing the service cancels every timer and watcher', async () => {
    const t = setup();
    await t.start({ name: 'c', cron_restart: '* * * * *' });
    await t.start({ name: 'm', max_memory_restart: 1, memory_check_interval: 1000 });
    await t.start({ name: 'w', watch: ['/srv'] });
    await t.triggers.close();
    assert.equal(t.watchers[0]?.closed, true);
    assert.equal(t.clock.nextIn(), null);
  });
});

describe('following the app', () => {
  test('scale: a new instance shows the watch; respec with other triggers replaces them', async () => {
    const t = setup(Date.parse('2026-03-01T00:00:30Z'));
    await t.start({ name: 'api', watch: ['/srv'] });
    t.watchers[0]?.emit('ready');
    const scaling = t.supervisor.scale('api', 2, false);
    await scaling;
    const units = t.supervisor.app('api')?.units() ?? [];
    assert.deepEqual(
      units.map((u) => info(u).watching),
      [true, true],
    );
    assert.equal(t.watchers.length, 1, 'the same watcher: the trigger fields did not change');

    // e.g. a restart that re-reads the configuration: the watch goes, a schedule comes
    t.supervisor.respec(units, (spec) => ({ ...spec, watch: false, cron_restart: '0 * * * *' }));
    await tick();
    assert.equal(t.watchers[0]?.closed, true);
    assert.deepEqual(
      units.map((u) => info(u).next_cron_at),
      [Date.parse('2026-03-01T01:00:00Z'), Date.parse('2026-03-01T01:00:00Z')],
    );
  });
});
