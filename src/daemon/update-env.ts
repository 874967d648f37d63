// --update-env (restart, reload, start of existing processes): rebuild the environment of the target's
// processes before they are (re)started. Every new environment is computed first, so an unreadable or
// malformed env file fails the whole command before any process is touched.
import { deepFreeze } from '../config/deep-freeze.js';
import { composeEnv, readEnvFiles } from '../config/env-layers.js';
import { configError } from '../config/issues.js';
import type { AppSpec } from '../config/spec.js';
import type { UpdateEnv } from '../protocol/update-env.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import { normalizeFile } from './apply-file.js';
import type { DaemonContext } from './context.js';

type EnvFields = Pick<AppSpec, 'env' | 'env_file' | 'app_env' | 'env_name'>;

export function applyUpdateEnv(
  units: readonly ProcessUnit[],
  update: UpdateEnv | null,
  ctx: DaemonContext,
): void {
  if (update === null || units.length === 0) return;
  const names = [...new Set(units.map((u) => u.name))];
  const fresh = update.file ? fromFile(units, update, ctx) : fromStored(units, update.env);
  ctx.supervisor.respec(units, (spec) => {
    const fields = fresh.get(spec.name);
    return fields ? deepFreeze({ ...spec, ...fields }) : spec;
  });
  for (const name of names) ctx.log(`${name}: environment updated (--update-env)`);
}

/** Name and id targets: the stored layers (env, env_<name>), the env files read again, the new caller env. */
function fromStored(units: readonly ProcessUnit[], env: Record<string, string>): Map<string, EnvFields> {
  const out = new Map<string, EnvFields>();
  for (const { spec } of units) {
    if (out.has(spec.name)) continue;
    const files = readEnvFiles(spec.env_file, spec.name);
    if (files.issues.length > 0) throw configError(spec.source, files.issues);
    out.set(spec.name, {
      env: composeEnv({ base: env, files: files.vars, app: spec.app_env, update: env }),
      env_file: spec.env_file,
      app_env: spec.app_env,
      env_name: spec.env_name,
    });
  }
  return out;
}

/**
 * An ecosystem file as the target: its apps are normalised again, and their environment taken. Without
 * --env now, each app keeps the env_<name> it was started with (a restart must not drop env_production).
 */
function fromFile(
  units: readonly ProcessUnit[],
  update: UpdateEnv,
  ctx: DaemonContext,
): Map<string, EnvFields> {
  const file = update.file as NonNullable<UpdateEnv['file']>;
  const envNameOf = new Map<string, string | null>();
  for (const { spec } of units)
    if (!envNameOf.has(spec.name)) envNameOf.set(spec.name, file.env_name ?? spec.env_name);
  const out = new Map<string, EnvFields>();
  for (const envName of new Set(envNameOf.values())) {
    const specs = normalizeFile(file, ctx, {
      callerEnv: update.env,
      envName,
      only: [...envNameOf].filter(([, n]) => n === envName).map(([name]) => name),
      updateEnv: true,
    });
    for (const s of specs) {
      out.set(s.name, { env: s.env, env_file: s.env_file, app_env: s.app_env, env_name: s.env_name });
    }
  }
  return out;
}
