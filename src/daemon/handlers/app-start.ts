import { containerDefaults } from '../../config/container-defaults.js';
import { normalizeAppsLenient } from '../../config/lenient.js';
import { normalizeApps } from '../../config/normalize.js';
import { pm2FileName } from '../../pm2/home/names.js';
import { TendError } from '../../protocol/errors.js';
import { cpuCount } from '../../runtime/cpu-count.js';
import type { ProcessUnit } from '../../supervisor/unit.js';
import type { Handler } from './types.js';

export const handleAppStart: Handler<'app.start'> = async (params, ctx) => {
  const input = {
    // tend-runtime's control socket: an app started there gets the container's defaults too (kill_signal
    // SIGTERM), as the file's apps do (fourth audit: it was stopped with PM2's SIGINT).
    apps: ctx.role === 'runtime' ? params.apps.map(containerDefaults) : params.apps,
    source: params.source,
    origin: params.origin,
    baseDir: params.base_dir,
    callerEnv: params.env ?? daemonEnv(),
    // TEND_LOG_* global defaults: the caller's environment, or the daemon's own (daemonEnv drops TEND_*).
    logEnv: params.env ?? process.env,
    envName: params.env_name,
    only: params.only,
    logDir: ctx.paths.logDir,
    logName: ctx.layout === 'pm2' ? pm2FileName : undefined,
    execPath: process.execPath,
    cpus: cpuCount(),
    updateEnv: params.update_env,
    // A depends_on may name an app the daemon runs; `only` pulls in dependencies unless --no-deps.
    existing: ctx.supervisor.apps().map((a) => a.spec),
    withDependencies: !params.no_deps,
  };
  // An ecosystem file's apps stand alone (config/lenient.ts); one app from the command line is strict.
  const normalized =
    params.source === null ? { specs: normalizeApps(input), rejected: null } : normalizeAppsLenient(input);
  const { rejected } = normalized;
  // tend-runtime: made as its own apps are (its --restart mode; fifth audit: restarted in place under
  // --restart orchestrator).
  const { adopt } = ctx;
  const specs = adopt ? normalized.specs.map(adopt) : normalized.specs;
  if (rejected)
    ctx.log(`${params.source}: not started: ${rejected.apps.join(', ')}: ${rejected.error.message}`);
  const { supervisor } = ctx;
  const notes: string[] = specs.flatMap((s) => s.notes);
  const toStart: ProcessUnit[] = [];
  const stopped = new Set(params.stopped);
  for (const spec of specs) {
    const existing = supervisor.app(spec.name);
    if (!existing) {
      const units = supervisor.add(spec);
      if (!stopped.has(spec.name)) toStart.push(...units);
      continue;
    }
    if (stopped.has(spec.name)) continue;
    // Blocked (a dependency failed): starting it again waits for its dependencies once more.
    const down = existing
      .units()
      .filter((u) => u.wanted === 'down' || u.status === 'errored' || u.status === 'blocked');
    if (down.length === 0) {
      // From the command line, starting a running app again is most likely a mistake; from an ecosystem
      // file it is the normal way to make sure everything runs.
      if (params.source === null) throw new TendError('TEND_ERR_ALREADY_RUNNING', { name: spec.name });
      notes.push(
        `${spec.name}: already running (its configuration is unchanged; use "tend restart" or "tend delete") (TEND_ERR_ALREADY_RUNNING)`,
      );
    }
    toStart.push(...down);
  }
  // In dependency order: missing dependencies first, each app once its own are met (src/deps).
  const started = await ctx.deps.start(toStart, {
    wait: params.wait,
    deps: params.no_deps ? 'ignore' : 'start',
  });
  notes.push(...started.notes);
  const ids = new Set([
    ...specs.flatMap(
      (s) =>
        supervisor
          .app(s.name)
          ?.units()
          .map((u) => u.id) ?? [],
    ),
    ...started.units.map((u) => u.id),
  ]);
  return {
    processes: supervisor.list().filter((p) => ids.has(p.id)),
    notes,
    rejected: rejected && { code: rejected.error.code, message: rejected.error.message, apps: rejected.apps },
  };
};

function daemonEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TEND_')) env[k] = v;
  return env;
}
