// `--update-env` over the protocol (process.start, process.restart, process.reload): the caller's current
// environment, and, when the target was an ecosystem file, that file's apps so their env is read again.
import * as z from './zod.js';

/** An ecosystem file as the CLI loaded it: its raw apps, where it is, the `--env` name given now. */
export const EcosystemFile = () =>
  z.strictObject({
    apps: z.array(z.record(z.string(), z.unknown())),
    source: z.string(),
    base_dir: z.string(),
    env_name: z._default(z.nullable(z.string()), null),
  });
export type EcosystemFile = z.output<ReturnType<typeof EcosystemFile>>;

/**
 * restart / reload of an ecosystem file: the file's current configuration applies to its running apps
 * (daemon/apply-file.ts). Null (or absent): each process keeps the configuration it has.
 */
export const fileParam = () => z._default(z.nullable(EcosystemFile()), null);

export const UpdateEnv = () =>
  z.strictObject({
    /** The caller's environment: it replaces the base and is the top layer (docs/config.md, Environment). */
    env: z.record(z.string(), z.string()),
    /** The ecosystem file the target came from: its env, env_<name> and env_file apply again. */
    file: z._default(z.nullable(EcosystemFile()), null),
  });
export type UpdateEnv = z.output<ReturnType<typeof UpdateEnv>>;

/** The optional params field: null (or absent) keeps each process's environment as it was. */
export const updateEnvParam = () => z._default(z.nullable(UpdateEnv()), null);
