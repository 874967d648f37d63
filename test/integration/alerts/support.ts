// The alerts tests' pieces: a webhook receiver on 127.0.0.1 (answers scripted per request, or a hang), an
// in-process supervisor with a fake clock and scripted children whose stderr is known, and a recorder of
// delivery reports to wait on. Nothing waits on the clock: tests wait for a request or a report.
import { readFileSync, watch } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Alerts, type DeliveryReport, openAlerts } from '../../../src/alerts/index.js';
import type { AppSpec } from '../../../src/config/spec.js';
import { EventBus } from '../../../src/supervisor/event-bus.js';
import { Supervisor } from '../../../src/supervisor/supervisor.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeSpawner } from '../../helpers/fake-spawner.js';
import { makeSpec } from '../../helpers/spec.js';

export interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly raw: string;
  readonly json: Record<string, unknown>;
}

/** What the receiver answers to its n-th request (0-based): a status, or 'hang' (never answers). */
export type Answer = (n: number) => number | 'hang';

export interface Receiver {
  readonly url: string;
  readonly requests: Received[];
  /** Resolves with the n-th request (0-based) once it has arrived. */
  nth(n: number, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function openReceiver(answer: Answer = () => 200): Promise<Receiver> {
  const requests: Received[] = [];
  const waiters: { n: number; resolve: (r: Received) => void }[] = [];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const n = requests.length;
      requests.push({ headers: req.headers, raw, json: JSON.parse(raw) as Record<string, unknown> });
      const status = answer(n);
      if (status === 'hang') hanging.push(res);
      else res.writeHead(status).end();
      for (const w of waiters.filter((x) => x.n === n)) w.resolve(requests[n] as Received);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    nth(n, timeoutMs = 10_000) {
      const have = requests[n];
      if (have) return Promise.resolve(have);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`request ${n} did not arrive in ${timeoutMs} ms (got ${requests.length})`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Rig {
  clock: FakeClock;
  spawner: FakeSpawner;
  supervisor: Supervisor;
  alerts: Alerts;
  reports: DeliveryReport[];
  log: string[];
  /** Resolves with the first report (seen or to come) that matches. */
  until(pred: (r: DeliveryReport) => boolean, what: string, timeoutMs?: number): Promise<DeliveryReport>;
  /** Adds an app and starts it (its child spawned, online unless gated). */
  start(over: Partial<AppSpec>): Promise<void>;
  close(): Promise<void>;
}

export const STDERR = ['connecting to db', 'Error: ECONNREFUSED 127.0.0.1:5432'];

export function rig(globalNotify: AppSpec['notify'] = null): Rig {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  const bus = new EventBus();
  const log: string[] = [];
  const reports: DeliveryReport[] = [];
  const waiters = new Set<{ pred: (r: DeliveryReport) => boolean; resolve: (r: DeliveryReport) => void }>();
  const supervisor = new Supervisor({
    clock,
    spawner,
    sinks: { open: () => ({ attach() {}, recentStderr: () => [...STDERR], close: async () => {} }) },
    inspector: { sample: () => new Map() },
    bus,
    home: '/tmp',
    log: (line) => log.push(line),
  });
  const alerts = openAlerts({
    bus,
    supervisor,
    clock,
    log: (line) => log.push(line),
    globalNotify,
    home: '/tmp',
    host: 'test-host',
    onDelivery: (r) => {
      reports.push(r);
      for (const w of [...waiters])
        if (w.pred(r)) {
          waiters.delete(w);
          w.resolve(r);
        }
    },
  });
  return {
    clock,
    spawner,
    supervisor,
    alerts,
    reports,
    log,
    until(pred, what, timeoutMs = 10_000) {
      const seen = reports.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = {
          pred,
          resolve: (r: DeliveryReport) => {
            clearTimeout(timer);
            resolve(r);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`no report "${what}" in ${timeoutMs} ms; got ${JSON.stringify(reports)}`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    async start(over) {
      const units = supervisor.add(makeSpec(over));
      await supervisor.start(units, false);
    },
    async close() {
      await alerts.close();
    },
  };
}

/** Resolves with the file's text once it matches `re` (fs.watch; the timeout is a safety net). */
export function untilInFile(file: string, re: RegExp, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const read = () => readFileSync(file, 'utf8');
    const check = () => {
      const text = read();
      if (!re.test(text)) return;
      clearTimeout(timer);
      watcher.close();
      resolve(text);
    };
    const watcher = watch(file, check);
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${file} has no line matching ${re} after ${timeoutMs} ms:\n${read()}`));
    }, timeoutMs);
    check();
  });
}
