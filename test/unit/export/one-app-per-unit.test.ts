// Each unit, pod or compose service runs exactly one app: tend-runtime gets `--no-deps` (its dependencies
// are units of their own, ordered by the target) and, when the app has an env_file, `--no-env-file` (the
// target reads the file: EnvironmentFile=, envFrom, compose's env_file:). And what the target needs to know
// of the app around that: systemd waits for the readiness of any gate (Type=notify), compose resolves its
// relative paths from the compose file's own folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { parseRuntimeArgs } from '../../../src/container/args.js';
import { type ExportInput, type ExportTarget, RUNTIME_NODE_FLAGS } from '../../../src/export/model.js';
import { renderExport } from '../../../src/export/render.js';
import { ROOT } from '../../helpers/daemon.js';
import { EXPORT_FIXTURES, inputOf, loadFixture } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-export-one-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const script = join(EXPORT_FIXTURES, 'app.cjs');
let n = 0;

async function inputFor(apps: Record<string, unknown>[], over: Partial<ExportInput> = {}, folder = dir) {
  const file = join(folder, `e${n++}.json`);
  writeFileSync(file, JSON.stringify({ apps: apps.map((a) => ({ script, ...a })) }));
  return inputOf(await loadFixture(file), { image: 'img:1', ...over });
}

/** The tend-runtime argv of each app, per target: ExecStart=, the container's command, compose's command. */
function commands(target: ExportTarget, input: ExportInput): Record<string, string[]> {
  const { files } = renderExport(target, input);
  const out: Record<string, string[]> = {};
  if (target === 'systemd')
    // A timer has no command: it starts its service.
    for (const f of files.filter((x) => x.name.endsWith('.service'))) {
      const line = /^ExecStart=(.*)$/m.exec(f.content)?.[1] ?? '';
      // After `/usr/bin/env -u … TEND_…=${…}` when the unit reads environment files (systemd.ts moveAside).
      const words = line.split(' ');
      const node = words.findIndex(
        (w) => !w.startsWith('/usr/bin/env') && !/^(-u|[A-Z_]+=.*|NODE_\w+)$/.test(w),
      );
      out[f.name.replace(/\.service$/, '')] = words.slice(node + 2 + RUNTIME_NODE_FLAGS.length);
    }
  else if (target === 'k8s')
    for (const doc of parseAllDocuments(files[0]?.content ?? '')) {
      const o = doc.toJS();
      const pod = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec?.template;
      // By the app's label: a Job's name ends in its spec's hash (k8s-jobs.ts jobName).
      if (pod) out[o.metadata.labels['app.kubernetes.io/name']] = pod.spec.containers[0].command.slice(1);
    }
  else
    for (const [name, s] of Object.entries(parse(files[0]?.content ?? '').services))
      out[name] = (s as { command: string[] }).command.slice(1);
  return out;
}

const TARGETS: ExportTarget[] = ['systemd', 'k8s', 'compose'];

describe('one app per unit, pod or service', () => {
  test('every target runs tend-runtime --only=<app> --no-deps --secrets-from-env: no unit starts its dependencies', async () => {
    const input = await inputFor([
      { name: 'db', ready_log_line: 'ready' },
      { name: 'migrate', autorestart: false, depends_on: { db: { condition: 'process_log_ready' } } },
      {
        name: 'api',
        depends_on: {
          db: { condition: 'process_healthy' },
          migrate: { condition: 'process_completed_successfully' },
        },
      },
    ]);
    for (const target of TARGETS) {
      const cmds = commands(target, input);
      assert.deepEqual(Object.keys(cmds), ['db', 'migrate', 'api'], target);
      for (const [app, argv] of Object.entries(cmds)) {
        const only = argv.indexOf(`--only=${app}`);
        assert.deepEqual(
          argv.slice(only, only + 3),
          [`--only=${app}`, '--no-deps', '--secrets-from-env'],
          `${target} ${app}`,
        );
        assert.ok(!argv.includes('--only'), `${target} ${app}: the name is in the same word`);
        assert.ok(!argv.includes('--no-env-file'), `${target} ${app}: no env_file, no flag`);
      }
    }
  });

  test("systemd runs the runtime's Node with the sh line's flags, and leaves NODE_OPTIONS to the app (fourth audit)", async () => {
    // The unit runs that Node directly, without bin/tend-runtime.js's sh line: the same default flags.
    const sh = readFileSync(join(ROOT, 'bin', 'tend-runtime.js'), 'utf8').split('\n')[1] ?? '';
    const flags = /n=\$\{TEND_RUNTIME_NODE_FLAGS-([^}]*)\}/.exec(sh)?.[1];
    assert.equal(flags, RUNTIME_NODE_FLAGS.join(' '));
    const input = await inputFor([
      {
        name: 'apm',
        env: { NODE_OPTIONS: '--require /opt/apm.js', NODE_EXTRA_CA_CERTS: '/etc/ca.pem', X: '1' },
      },
    ]);
    const unit = renderExport('systemd', input).files[0]?.content ?? '';
    assert.match(
      unit,
      new RegExp(`^ExecStart=\\S+ ${RUNTIME_NODE_FLAGS.join(' ')} \\S+tend-runtime\\.js `, 'm'),
    );
    assert.match(unit, /^Environment=X=1$/m);
    // The app gets them from the file through tend-runtime; the runtime's own Node never reads them.
    assert.doesNotMatch(unit, /NODE_OPTIONS|NODE_EXTRA_CA_CERTS/);
  });

  test('an app named -lead: --only=-lead, one word, never read as an option', async () => {
    const input = await inputFor([{ name: '-lead' }]);
    for (const target of TARGETS) {
      const argv = Object.values(commands(target, input))[0] ?? [];
      assert.ok(argv.includes('--only=-lead'), `${target}: ${argv.join(' ')}`);
      assert.ok(!argv.includes('-lead'), target);
    }
  });

  test('instances: Kubernetes runs them (replicas, parallelism), one per pod, without a cluster primary unless its readiness needs one; systemd and compose run them in the runtime', async () => {
    const input = await inputFor([
      { name: 'web', instances: 4, exec_mode: 'fork' },
      // A cluster app is ready when its worker listens: with no port known, only its primary can tell.
      { name: 'api', instances: 2, exec_mode: 'cluster' },
      // With a port, the kubelet's tcpSocket tells the same, and the pod runs it in fork mode.
      { name: 'site', instances: 2, exec_mode: 'cluster', env: { PORT: '8080' } },
      { name: 'ready', instances: 2, exec_mode: 'cluster', wait_ready: true },
      { name: 'batch', instances: 3, autorestart: false },
    ]);
    const k8s = commands('k8s', input);
    const perPod = (argv: readonly string[]) => {
      const i = argv.indexOf('--instances');
      return argv.includes('--single-instance') ? ['--single-instance'] : argv.slice(i, i + 2);
    };
    assert.deepEqual(Object.fromEntries(Object.entries(k8s).map(([app, argv]) => [app, perPod(argv)])), {
      web: ['--single-instance'],
      api: ['--instances', '1'],
      site: ['--single-instance'],
      ready: ['--single-instance'],
      // A Job's pod too: --instances 1 is PM2's -i, cluster mode, for a one-shot nothing waits on to listen.
      batch: ['--single-instance'],
    });
    const docs = parseAllDocuments(renderExport('k8s', input).files[0]?.content ?? '').map((d) => d.toJS());
    const workloads = docs.filter((d) => d.kind !== 'Service');
    assert.deepEqual(
      workloads.map((d) => d.spec.replicas ?? d.spec.parallelism),
      [4, 2, 2, 2, 3],
    );
    // How the kubelet learns each pod is ready: nothing to wait on (web); the runtime's /readyz for a gate
    // it cannot see (api's listening worker, wait_ready); the app's port once it accepts connections (site).
    const readiness = Object.fromEntries(
      workloads
        .filter((d) => d.kind === 'Deployment')
        .map((d) => [d.metadata.name, d.spec.template.spec.containers[0].readinessProbe ?? null]),
    );
    assert.deepEqual(readiness, {
      web: null,
      api: { httpGet: { path: '/readyz', port: 'health' }, periodSeconds: 5, failureThreshold: 3 },
      site: { tcpSocket: { port: 'http' }, periodSeconds: 5, failureThreshold: 3 },
      ready: { httpGet: { path: '/readyz', port: 'health' }, periodSeconds: 5, failureThreshold: 3 },
    });
    const said = renderExport('k8s', input).warnings.filter((w) => w.field === 'exec_mode');
    assert.deepEqual(
      said.map((w) => `${w.app}: ${w.message}`),
      [
        'api: cluster mode → replicas: 2, one instance per pod (tend-runtime --instances 1)',
        'site: cluster mode → replicas: 2, one instance per pod (tend-runtime --single-instance: fork mode, no cluster primary)',
        'ready: cluster mode → replicas: 2, one instance per pod (tend-runtime --single-instance: fork mode, no cluster primary)',
        // instances > 1 of a Node script is cluster mode by default.
        'batch: cluster mode → parallelism: 3, one instance per pod (tend-runtime --single-instance: fork mode, no cluster primary)',
      ],
    );
    // One unit or service runs all the app's instances: the runtime counts them from the file.
    for (const target of ['systemd', 'compose'] as ExportTarget[])
      for (const [app, argv] of Object.entries(commands(target, input))) {
        assert.ok(!argv.includes('--instances'), `${target} ${app}`);
        assert.ok(!argv.includes('--single-instance'), `${target} ${app}`);
      }
  });

  test("--no-cron only where the orchestrator runs the schedule (a Kubernetes one-shot's CronJob, a systemd one-shot's timer)", async () => {
    const input = await inputFor([
      { name: 'nightly', autorestart: false, cron_restart: '0 3 * * *' },
      { name: 'svc', cron_restart: '0 3 * * *' },
    ]);
    for (const target of ['k8s', 'systemd'] as ExportTarget[]) {
      assert.ok(commands(target, input).nightly?.includes('--no-cron'), target);
      assert.ok(!commands(target, input).svc?.includes('--no-cron'), target);
    }
    // compose has no scheduler: the runtime keeps the schedule (cron-one-shots.test.ts: unless others wait
    // for the one-shot to complete).
    for (const [app, argv] of Object.entries(commands('compose', input)))
      assert.ok(!argv.includes('--no-cron'), `compose ${app}: the runtime keeps the schedule`);
  });

  test("tend-runtime's own parser reads every exported command as meant (the fixture, every target)", async () => {
    const input = inputOf(await loadFixture(), { image: 'img:1' });
    for (const target of TARGETS)
      for (const [app, argv] of Object.entries(commands(target, input))) {
        // systemd's argv starts at the file (after node and the entry), the others at it too.
        const parsed = parseRuntimeArgs(argv, {});
        assert.ok(parsed.help === false, `${target} ${app}`);
        const o = parsed.options;
        assert.deepEqual([o.only, o.noDeps, o.secretsFromEnv], [[app], true, true], `${target} ${app}`);
        // In Kubernetes every pod of the fixture runs its one instance in fork mode (none is a cluster app
        // with no other readiness than listening and no port).
        assert.equal(o.appFields.instances, undefined, `${target} ${app}`);
        assert.equal(o.singleInstance, target === 'k8s', `${target} ${app}`);
        // report is the scheduled one-shot: its CronJob (its timer) runs the schedule.
        assert.equal(o.cron, !(target !== 'compose' && app === 'report'), `${target} ${app}`);
      }
  });

  test('an app with an env_file: --no-env-file, and the target reads the file', async () => {
    const env = join(EXPORT_FIXTURES, 'app.env');
    const input = await inputFor([{ name: 'api', env_file: env }]);
    for (const target of TARGETS) assert.ok(commands(target, input).api?.includes('--no-env-file'), target);
    const unit = renderExport('systemd', input).files[0]?.content ?? '';
    assert.match(unit, new RegExp(`^EnvironmentFile=${env}$`, 'm'));
    // What the file sets for the apps' Node stays out of the runtime's own (tenth audit: an --inspect).
    assert.match(
      unit,
      /^ExecStart=\/usr\/bin\/env -u NODE_OPTIONS -u NODE_EXTRA_CA_CERTS TEND_NODE_OPTIONS=\$\{NODE_OPTIONS\} TEND_NODE_EXTRA_CA_CERTS=\$\{NODE_EXTRA_CA_CERTS\} \//m,
    );
    assert.match(
      renderExport('k8s', input).files[0]?.content ?? '',
      /envFrom:\n\s+- secretRef:\n\s+name: api-env/,
    );
    assert.match(renderExport('compose', input).files[0]?.content ?? '', /env_file:\n\s+- \S*app\.env\n/);
  });
});

describe('systemd: Type=notify for every readiness gate', () => {
  test('wait_ready, a log line, a readiness or startup probe, cluster workers: notify; none: exec', async () => {
    const input = await inputFor([
      { name: 'ipc', wait_ready: true, listen_timeout: 8000 },
      { name: 'line', ready_log_line: 'up', listen_timeout: 4000 },
      { name: 'probe', readiness_probe: { tcp_socket: { port: 5432 } } },
      { name: 'probe-t', readiness_probe: { tcp_socket: { port: 5432 } }, listen_timeout: 3000 },
      {
        name: 'startup',
        startup_probe: { tcp_socket: { port: 5432 }, period_seconds: 2, failure_threshold: 10 },
      },
      { name: 'cluster', exec_mode: 'cluster', instances: 2 },
      { name: 'plain' },
    ]);
    const units = Object.fromEntries(
      renderExport('systemd', input).files.map((f) => [f.name.replace(/\.service$/, ''), f.content]),
    );
    const typeOf = (u: string) => /^Type=(\w+)$/m.exec(units[u] ?? '')?.[1];
    const timeoutOf = (u: string) => /^TimeoutStartSec=(\w+)$/m.exec(units[u] ?? '')?.[1];
    for (const u of ['ipc', 'line', 'probe', 'probe-t', 'startup', 'cluster']) {
      assert.equal(typeOf(u), 'notify', u);
      assert.match(units[u] ?? '', /^NotifyAccess=all$/m, u);
    }
    assert.equal(typeOf('plain'), 'exec');
    assert.equal(timeoutOf('plain'), undefined);
    // The app's own deadline + 5 s: listen_timeout, the startup probe's budget; where tend has none (a
    // readiness probe alone), its first window: 10 s × 3 + 5 s, never infinity.
    assert.equal(timeoutOf('ipc'), '13');
    assert.equal(timeoutOf('line'), '9');
    assert.equal(timeoutOf('probe'), '35');
    assert.equal(timeoutOf('probe-t'), '8');
    assert.equal(timeoutOf('startup'), '25');
  });
});

describe('compose: relative paths from the compose file', () => {
  test('--out elsewhere: env_file and build point back to the ecosystem folder', async () => {
    const project = join(dir, 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, '.env'), 'A=1\n');
    const base = await inputFor([{ name: 'api', env_file: '.env' }], { image: null }, project);
    const at = (outDir: string | null) =>
      parse(renderExport('compose', { ...base, outDir }).files[0]?.content ?? '').services.api;
    // Printed: beside the ecosystem file.
    assert.deepEqual(at(null).env_file, ['.env']);
    assert.equal(at(null).build, '.');
    // --out project/deploy/sub: two levels down.
    const sub = at(join(project, 'deploy', 'sub'));
    assert.deepEqual(sub.env_file, ['../../.env']);
    assert.equal(sub.build, '../..');
    // --out elsewhere entirely.
    const other = at(join(dir, 'other'));
    assert.deepEqual(other.env_file, ['../project/.env']);
    assert.equal(other.build, '../project');
  });
});

describe('the stop signal tend-runtime uses', () => {
  test("kill_signal not set: SIGTERM (tend-runtime's default in a unit or container), not PM2's SIGINT", async () => {
    const input = await inputFor([{ name: 'plain' }, { name: 'int', kill_signal: 'SIGINT' }]);
    const units = renderExport('systemd', input).files.map((f) => /^KillSignal=(\w+)$/m.exec(f.content)?.[1]);
    assert.deepEqual(units, ['SIGTERM', 'SIGINT']);
    const services = parse(renderExport('compose', input).files[0]?.content ?? '').services;
    assert.deepEqual([services.plain.stop_signal, services.int.stop_signal], ['SIGTERM', 'SIGINT']);
  });
});
