// The settings file's content → DaemonSettings, or every problem at once, each naming the field path, what
// was expected and how to fix it (the file is named by load.ts). Keys are strict: a misspelt `htpp` is an
// error with a "did you mean", never a listener silently left off. Plain checks, no schema library: four
// small sections, and the daemon reads this once at start.
import { checkNotify } from '../config/notify-field.js';
import { closest } from '../config/suggest.js';
import {
  API_PORT,
  collide,
  formatAddress,
  HEALTH_PORT,
  isLoopback,
  type ListenAddress,
  parseListen,
} from './address.js';
import type { DaemonSettings } from './types.js';

export interface SettingsIssue {
  readonly path: string;
  readonly message: string;
}

const SECTIONS: Readonly<Record<string, readonly string[]>> = {
  http: ['listen', 'allow_remote', 'hosts'],
  health: ['listen'],
  metrics: ['rollup_only'],
  notify: [],
};

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function validateSettings(
  content: unknown,
): { settings: DaemonSettings } | { issues: SettingsIssue[] } {
  const issues: SettingsIssue[] = [];
  const fail = (path: string, message: string) => issues.push({ path, message });
  // An empty file is no settings at all (YAML parses it to null).
  const root: Obj = content === null || content === undefined ? {} : (content as Obj);
  if (!isObject(root)) {
    fail('(file)', `expected a mapping of sections (http, health, metrics, notify), got ${show(content)}`);
    return { issues };
  }
  const section = (name: string): Obj | null => {
    const v = root[name];
    if (v === undefined || v === null) return null;
    if (!isObject(v)) {
      fail(name, `expected a mapping, got ${show(v)}`);
      return null;
    }
    unknownKeys(v, SECTIONS[name] as readonly string[], name, fail);
    return v;
  };
  unknownKeys(root, Object.keys(SECTIONS), '', fail);

  const http = section('http');
  const health = section('health');
  const metrics = section('metrics');
  const listen = (s: Obj | null, name: string): ListenAddress | null => {
    if (s === null) return null;
    const raw = s.listen;
    if (typeof raw !== 'string') {
      fail(
        `${name}.listen`,
        `expected "host:port", e.g. "127.0.0.1:${name === 'http' ? API_PORT : HEALTH_PORT}", got ${show(raw)}`,
      );
      return null;
    }
    const a = parseListen(raw.trim(), name === 'http' ? API_PORT : HEALTH_PORT);
    if (typeof a === 'string') {
      fail(`${name}.listen`, `${a}, got ${show(raw)}`);
      return null;
    }
    return a;
  };
  const httpAt = listen(http, 'http');
  const healthAt = listen(health, 'health');
  const allowRemote = bool(http, 'allow_remote', 'http', fail);
  const rollupOnly = bool(metrics, 'rollup_only', 'metrics', fail);
  const hosts = http?.hosts ?? [];
  if (!Array.isArray(hosts) || !hosts.every((h) => typeof h === 'string' && /^[\w.:[\]-]+$/.test(h)))
    fail('http.hosts', `expected a list of host names (e.g. ["tend.example.org"]), got ${show(hosts)}`);
  if (httpAt && !isLoopback(httpAt.host) && !allowRemote) {
    fail(
      'http.listen',
      `${formatAddress(httpAt)} is reachable from other machines: the API can start and stop processes, so ` +
        'it binds beyond loopback only with "allow_remote: true" in the http section (or listen on 127.0.0.1)',
    );
  }
  if (httpAt && healthAt && collide(httpAt, healthAt)) {
    fail(
      'health.listen',
      `${formatAddress(healthAt)} is the port of http.listen too: give each listener its own port`,
    );
  }
  // `notify`: the same grammar and checks as an app's `notify` field (config/notify-field.ts).
  const notify = checkNotify(root.notify, 'notify');
  issues.push(...notify.issues);
  if (issues.length > 0) return { issues };
  return {
    settings: Object.freeze({
      http: httpAt
        ? Object.freeze({
            listen: formatAddress(httpAt),
            allow_remote: allowRemote,
            hosts: Object.freeze([...(hosts as string[])]),
          })
        : null,
      health: healthAt ? Object.freeze({ listen: formatAddress(healthAt) }) : null,
      metrics: Object.freeze({ rollup_only: rollupOnly }),
      notify: notify.notify,
      file: null,
    }),
  };
}

function bool(s: Obj | null, key: string, at: string, fail: (p: string, m: string) => void): boolean {
  const v = s?.[key];
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  fail(`${at}.${key}`, `expected true or false, got ${show(v)}`);
  return false;
}

function unknownKeys(
  obj: Obj,
  known: readonly string[],
  at: string,
  fail: (p: string, m: string) => void,
): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key) || at === 'notify') continue;
    const hint = closest(key, known);
    fail(
      at ? `${at}.${key}` : key,
      hint ? `unknown key (did you mean "${hint}"?)` : `unknown key (known: ${known.join(', ')})`,
    );
  }
}
