// `describe`: everything known about one instance, as sections of key/value lines.
import { dependencyText, healthFieldText } from '../../config/health-text.js';
import { fieldsOf, specKeyOf } from '../../config/registry/index.js';
import type { DescribedProcess as ProcessDetail } from '../../protocol/methods/process-describe.js';
import type { ExitInfo } from '../../protocol/process-info.js';
import { isSecretValue, MASK } from '../../protocol/secrets.js';
import { formatBytes, formatDuration, statusText } from './format.js';
import { paint } from './style.js';

export function renderDescribe(d: ProcessDetail, opts: { colour: boolean; now: number }): string {
  const { colour, now } = opts;
  const p = d.process;
  const out: string[] = [];
  const section = (title: string) => out.push('', paint('bold', title, colour));
  const row = (k: string, v: unknown) =>
    out.push(`  ${k.padEnd(26)} ${v === null || v === undefined ? '-' : String(v)}`);

  out.push(paint('bold', `${p.name} [${p.id}]`, colour) + `  ${statusText(p, now)}`);
  section('process');
  row('status', statusText(p, now));
  row('wanted', p.wanted);
  row('pid', p.pid);
  row('mode', p.mode);
  row('namespace', p.namespace);
  row('instance', p.instance);
  row('uptime', p.status === 'online' ? formatDuration(p.uptime_ms) : null);
  row('restarts', p.restarts);
  row('unstable restarts', p.unstable_restarts);
  row('cpu', p.pid === null ? null : `${p.cpu.toFixed(1)}%`);
  row('memory', p.pid === null ? null : formatBytes(p.memory));
  row('created', new Date(p.created_at).toISOString());
  if (p.next_start_at !== null) row('next start', new Date(p.next_start_at).toISOString());
  if (p.last_exit)
    row(
      'last exit',
      `${exitText(p.last_exit)} at ${new Date(p.last_exit.at).toISOString()} after ${formatDuration(p.last_exit.uptime_ms)}`,
    );
  if (p.last_error) row('error', paint('red', p.last_error, colour));
  // Only when it happened: lines lost to a full disk are news, a zero is not.
  if (p.log_dropped > 0)
    row(
      'log lines dropped',
      paint('red', `${p.log_dropped} (not written: disk full or write error)`, colour),
    );

  section('readiness');
  row('ready', p.pid === null ? null : p.ready ? 'yes' : 'no');
  row('health', p.health);
  if (p.reason) row('reason', p.reason);
  const r = d.readiness;
  row('ready when', r.sources.length > 0 ? r.sources.join(', ') : 'spawned');
  row('deadline', r.deadline_ms === null ? 'none' : `${r.deadline_ms} ms`);
  if (r.notify_status !== null) row('app status', r.notify_status);
  if (r.last_probe) {
    const lp = r.last_probe;
    const what = lp.ok ? paint('green', 'ok', colour) : paint('red', lp.error ?? 'failed', colour);
    const code = lp.exit_code === null ? '' : `, exit ${lp.exit_code}`;
    row(
      'last probe',
      `${lp.kind} ${what}${code} in ${lp.duration_ms} ms at ${new Date(lp.at).toISOString()}`,
    );
    if (lp.output.trim() !== '')
      row('probe output', maskProbeText(lp.output.trim().split('\n').slice(0, 5).join(' | ')));
  }

  section('command');
  row('script', p.script);
  row('args', p.args.length ? JSON.stringify(p.args) : null);
  row('interpreter', p.interpreter ?? 'none (executed directly)');
  row('interpreter args', p.interpreter_args.length ? JSON.stringify(p.interpreter_args) : null);
  row('cwd', p.cwd);
  const envFiles = d.config.env_file ?? [];
  if (envFiles.length > 0) row('env files', envFiles.join(', '));

  // The fields of the group, as the registry lists them (config/registry/).
  section('restart policy');
  const c = d.config as unknown as Readonly<Record<string, unknown>>;
  for (const f of fieldsOf('restart policy')) {
    const v = c[specKeyOf(f)];
    row(f.name, Array.isArray(v) ? JSON.stringify(v) : v);
  }

  section('readiness and health');
  for (const f of fieldsOf('readiness and health')) {
    const text = healthFieldText(f, c[specKeyOf(f)]);
    row(f.name, f.kind === 'probe' || f.kind === 'readinessProbe' ? maskProbeText(text) : text);
  }
  // What the app needs, as written, with how each stands now when it does not hold (the daemon's
  // `dependencies`), and the apps that need it.
  const deps = d.config.depends_on ?? [];
  const links = d.dependencies;
  if (deps.length > 0 || (links?.dependents.length ?? 0) > 0) {
    section('dependencies');
    for (const dep of deps) {
      const now = links?.depends_on.find((e) => e.name === dep.name);
      const state = now && now.state !== 'met' ? ` (${now.detail ?? now.state})` : '';
      row(dep.name, dependencyText(dep) + state);
    }
    if (links && links.dependents.length > 0) row('needed by', links.dependents.join(', '));
  }

  section('logs');
  row('out log', d.logs.out);
  row('error log', d.logs.err);
  row('combined log', d.logs.combined);

  const pol = d.policies;
  section('watch, memory and cron');
  row('watch', pol.watch === false ? 'off' : pol.watch.join(', '));
  if (pol.watch !== false) {
    row('ignore_watch', pol.ignore_watch.length > 0 ? pol.ignore_watch.join(', ') : '(defaults only)');
    row('watch_delay', `${pol.watch_delay} ms`);
    const options = d.config.watch_options ?? {};
    if (Object.keys(options).length > 0) row('watch_options', JSON.stringify(options));
  }
  row('max_memory_restart', pol.max_memory_restart === null ? 'off' : formatBytes(pol.max_memory_restart));
  if (pol.max_memory_restart !== null) row('memory_check_interval', `${pol.memory_check_interval} ms`);
  row(
    'cron_restart',
    pol.cron_restart === null
      ? 'off'
      : `${pol.cron_restart}${pol.cron_restart_tz ? ` (${pol.cron_restart_tz})` : ''}`,
  );
  row(
    'restarts by triggers',
    `watch ${p.watch_restarts}, memory ${p.memory_restarts}, cron ${p.cron_restarts}`,
  );

  const stored = d.config.stored ?? {};
  if (Object.keys(stored).length > 0) {
    section('stored for later versions');
    for (const [k, v] of Object.entries(stored)) row(k, JSON.stringify(v));
  }
  if (d.notes.length > 0) {
    section('notes');
    for (const n of d.notes) out.push(`  ${n}`);
  }
  if (d.restart_history.length > 0) {
    section('restart history (newest last)');
    for (const h of d.restart_history)
      out.push(
        `  ${new Date(h.at).toISOString()}  ${h.reason}${h.exit && !h.reason.startsWith('exited') ? ` (${exitText(h.exit)})` : ''}${h.delay_ms !== null ? ` → restart in ${h.delay_ms} ms` : ''}`,
      );
  }
  if (d.last_exits.length > 0) {
    section('last exits (newest last)');
    for (const e of d.last_exits)
      out.push(`  ${new Date(e.at).toISOString()}  ${exitText(e)} after ${formatDuration(e.uptime_ms)}`);
  }
  if (d.recent_stderr.length > 0) {
    section('recent stderr');
    for (const l of d.recent_stderr) out.push(`  ${l}`);
  }
  return out.join('\n');
}

const PROBE_LINE = /^(exec|http_get|tcp_socket) (.*?) ((?:after \S+, )?every \S+, timeout \S+, \d+\/\d+)$/s;

/**
 * A probe's line (config/health-text.ts's probeText) or output with what looks secret masked (the rule
 * `tend env` masks with, protocol/secrets.ts): an exec probe's `curl http://admin:pw@…`, a path with
 * `?token=…`. The kind and the timing stay readable; the command or URL becomes MASK.
 */
export function maskProbeText<T extends string | null>(text: T): T | string {
  if (text === null || !isSecretValue(text)) return text;
  const m = PROBE_LINE.exec(text);
  return m ? `${m[1]} ${MASK} ${m[3]}` : MASK;
}

function exitText(e: ExitInfo): string {
  return e.signal ? `signal ${e.signal}` : `code ${e.code}`;
}
