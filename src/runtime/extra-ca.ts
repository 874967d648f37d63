// NODE_EXTRA_CA_CERTS. Node 20 and 22 read that file and build the whole root certificate store when a
// process starts, whether it ever speaks TLS or not: 45 ms and 1.8 MiB of RSS for every Node process
// (measured 2026-12-04 on the bench machine, where it is set: `node -e 0` 0.10 against 0.05 s, 40.2 against
// 38.4 MiB). tend's own processes start without it: the bins' sh lines (bin/*.js) and the daemon's spawner
// move it to MOVED_EXTRA_CA, and restoreExtraCa() puts it back into process.env first thing, so that every
// process they start (the apps, exec hooks, a successor) gets it as the user set it. The one verified TLS
// connection tend makes, an alert webhook over https, passes the certificates itself (extraCaFor).
import { readFileSync } from 'node:fs';

export const MOVED_EXTRA_CA = 'TEND_NODE_EXTRA_CA_CERTS';

/** The environment for a tend process: NODE_EXTRA_CA_CERTS moved aside (restoreExtraCa puts it back). */
export function withExtraCaMoved(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (file === undefined) return env;
  const out: NodeJS.ProcessEnv = { ...env, [MOVED_EXTRA_CA]: file };
  delete out.NODE_EXTRA_CA_CERTS;
  return out;
}

/** First thing in a tend process: NODE_EXTRA_CA_CERTS back in the environment, if it was moved aside. */
export function restoreExtraCa(env: NodeJS.ProcessEnv = process.env): void {
  const file = env[MOVED_EXTRA_CA];
  if (file === undefined) return;
  env.NODE_EXTRA_CA_CERTS = file;
  delete env[MOVED_EXTRA_CA];
}

let cached: { file: string; pem: string | null } | undefined;

/**
 * The `ca` option of an https request that verifies the peer: Node's bundled roots and the extra file, as
 * Node itself would have them; undefined when NODE_EXTRA_CA_CERTS is not set (Node's default store). A file
 * that cannot be read is left out, as Node leaves it out (it only warns).
 */
export function extraCaFor(
  roots: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string[] | undefined {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (file === undefined || file === '') return undefined;
  if (cached?.file !== file) {
    let pem: string | null = null;
    try {
      pem = readFileSync(file, 'utf8');
    } catch {
      // left out, as Node leaves out a file it cannot read
    }
    cached = { file, pem };
  }
  return cached.pem === null ? undefined : [...roots, cached.pem];
}
