// `tend-runtime probe [--ready|--live|--startup] [--app NAME] [--health-listen ADDR]`: asks a running runtime's
// health listener and exits 0 (200) or 1 (anything else), for Docker's HEALTHCHECK and compose's healthcheck
// (issue 15), so an image needs no curl. It runs every few seconds in every container: its bundle
// (dist/runtime-probe.cjs, entry probe-main.ts) holds this file, the address parser, node:http and the usage
// line of a parseArgs error (runtime/parse-args-usage.ts), nothing else.
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { nameProblem } from '../config/app-name.js';
import { parseArgsProblem } from '../runtime/parse-args-usage.js';
import { printable } from '../runtime/printable.js';
import { HEALTH_PORT, type ListenAddress, parseListen } from '../settings/address.js';

export const PROBE_USAGE = `usage: tend-runtime probe [--ready|--live|--startup] [--app NAME] [--health-listen ADDR]

Asks tend-runtime's health listener: GET /readyz (default), /livez or /startupz. Exit 0 on 200, 1 otherwise
(unreachable, 503, no answer within 2s, or a usage error), with the reason on stderr. Never 2: Docker
reserves it.

options:
  --ready                   GET /readyz (the default)
  --live                    GET /livez
  --startup                 GET /startupz
  --app <name>              only this app's check (?app=NAME)
  --health-listen <addr>    the runtime's listener, host:port (default $TEND_HEALTH_LISTEN, else 127.0.0.1:9616);
                            a wildcard address (0.0.0.0, [::]) is asked on loopback
  -h, --help                this help`;

export const DEFAULT_PROBE_LISTEN = `127.0.0.1:${HEALTH_PORT}`;
/** Docker's HEALTHCHECK default timeout is 30s; a runtime that needs more than 2s to answer is not healthy. */
export const PROBE_TIMEOUT_MS = 2000;

type Endpoint = 'readyz' | 'livez' | 'startupz';

export interface ProbeTarget {
  address: ListenAddress;
  endpoint: Endpoint;
  app: string | null;
}

/** A usage error: exit 1 (Docker's HEALTHCHECK reserves 2) with TEND_ERR_USAGE's text. */
class UsageError extends Error {
  constructor(message: string) {
    super(printable(message));
  }
}

/** Parses the probe's argv (after `probe`); `null` for --help. Throws UsageError. */
export function parseProbeArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ProbeTarget | null {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (err) {
    throw new UsageError(
      parseArgsProblem(err, argv, OPTIONS, { app: 'an app name', 'health-listen': 'host:port' }),
    );
  }
  if (values.help) return null;
  const kinds = (['ready', 'live', 'startup'] as const).filter((k) => values[k]);
  if (kinds.length > 1) throw new UsageError(`${kinds.map((k) => `--${k}`).join(' and ')}: give one`);
  const endpoint: Endpoint = kinds[0] === 'live' ? 'livez' : kinds[0] === 'startup' ? 'startupz' : 'readyz';
  const flag = values['health-listen'];
  // An empty variable is no setting.
  const text = flag ?? (env.TEND_HEALTH_LISTEN || undefined) ?? DEFAULT_PROBE_LISTEN;
  const from = flag !== undefined ? '--health-listen' : 'TEND_HEALTH_LISTEN';
  if (text === 'off')
    throw new UsageError(`${from} off: the runtime serves no health endpoint to ask; give its host:port`);
  const address = parseListen(text, HEALTH_PORT);
  if (typeof address === 'string') throw new UsageError(`${from} ${text}: ${address}`);
  const app = values.app ?? null;
  if (app === '') throw new UsageError('--app: expected an app name');
  // No app has such a name: said as such, not asked (tenth audit: "--app 'sr v'" got a note that the
  // runtime ignored ?app= and covered "sr" too).
  const problem = app === null ? null : nameProblem(app);
  if (problem) throw new UsageError(`--app ${app}: ${problem}`);
  return { address, endpoint, app };
}

const OPTIONS = {
  ready: { type: 'boolean' },
  live: { type: 'boolean' },
  startup: { type: 'boolean' },
  app: { type: 'string' },
  'health-listen': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: false, strict: true, options: OPTIONS });
}

/** What one probe found: `ok` decides the exit code, `line` is what to print. */
export interface ProbeResult {
  ok: boolean;
  line: string;
  /** Set when --app was given and the endpoint answered for other apps too (a runtime that ignores ?app=). */
  note?: string;
}

/** The listener's wildcard addresses are reached on loopback, of the same family. */
function connectHost(a: ListenAddress): string {
  if (a.host === '0.0.0.0') return '127.0.0.1';
  if (a.host === '::' || a.host === '0:0:0:0:0:0:0:0') return '::1';
  return a.host;
}

/** One GET, bounded by `timeoutMs` from the start (connect and answer). Never rejects. */
export function probe(target: ProbeTarget, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const host = connectHost(target.address);
  // verbose: a line per check, so that the reason of a 503 names the app, and an --app that the endpoint did
  // not filter on shows.
  const path = `/${target.endpoint}?verbose${target.app === null ? '' : `&app=${encodeURIComponent(target.app)}`}`;
  const url = `http://${target.address.family === 6 ? `[${host}]` : host}:${target.address.port}${path}`;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => done({ ok: false, line: `GET ${url}: no answer within ${timeoutMs / 1000}s` }),
      timeoutMs,
    );
    const req = request(
      {
        host,
        port: target.address.port,
        path,
        method: 'GET',
        agent: false,
        headers: { connection: 'close' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          // A health answer is a few lines; more than 64 KiB is not one.
          if (body.length < 65536) body += chunk;
        });
        res.on('error', (err) => done({ ok: false, line: `GET ${url}: ${err.message}` }));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const lines = body.split('\n').filter((l) => l.trim() !== '');
          const checks = lines.filter((l) => /^\[[+-]\]/.test(l));
          const failing = checks.filter((l) => l.startsWith('[-]'));
          const summary = (status === 200 ? checks : failing.length > 0 ? failing : lines)
            .join('; ')
            .slice(0, 400);
          // tend's 200 says `<endpoint> check passed` (?verbose); another server's 200 is no health answer of
          // tend's (a wrong port that happens to serve HTTP: third audit).
          const tends = lines.at(-1) === `${target.endpoint} check passed`;
          const result: ProbeResult = {
            ok: status === 200 && tends,
            line:
              status === 200 && !tends
                ? `GET ${url}: 200, but not a tend-runtime health answer (another server on this address?)`
                : `GET ${url}: ${status}${summary ? ` ${summary}` : ''}`,
          };
          // A 404 names the app asked for as missing: it was filtered, not ignored.
          const others = target.app === null || status === 404 ? [] : otherApps(checks, target.app);
          if (others.length > 0)
            result.note = `this runtime's /${target.endpoint} ignores ?app=${target.app}: the answer covers ${others.join(', ')} too`;
          done(result);
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      done({
        ok: false,
        line: `GET ${url}: ${err.code === 'ECONNREFUSED' ? 'connection refused (is tend-runtime running, with this --health-listen?)' : err.message}`,
      }),
    );
    req.end();
  });
}

/** Checks named for something other than `app` and the runtime itself (`daemon`, `startup`). */
function otherApps(checks: readonly string[], app: string): string[] {
  const names = checks.map((l) => /^\[[+-]\](\S+)/.exec(l)?.[1] ?? '');
  return [...new Set(names)].filter((n) => n !== '' && n !== app && n !== 'daemon' && n !== 'startup');
}

/**
 * Resolves with the exit code: 0 healthy, 1 anything else (unhealthy, unreachable, a usage error): a
 * HEALTHCHECK's command must exit 0 or 1, Docker reserves 2 ("do not use this exit code").
 */
export async function runProbeCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let target: ProbeTarget | null;
  try {
    target = parseProbeArgs(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(
      `tend-runtime probe: ${err.message} (see "tend-runtime probe --help") (TEND_ERR_USAGE)\n`,
    );
    return 1;
  }
  if (target === null) {
    process.stdout.write(`${PROBE_USAGE}\n`);
    return 0;
  }
  const r = await probe(target);
  if (r.note) process.stderr.write(`tend-runtime probe: note: ${r.note}\n`);
  if (r.ok) {
    process.stdout.write(`tend-runtime probe: ${r.line}\n`);
    return 0;
  }
  process.stderr.write(`tend-runtime probe: ${r.line} (TEND_ERR_PROBE_FAILED)\n`);
  return 1;
}
