// The daemon's Spawner: requests in cluster mode become workers of their app's cluster primary (one primary
// per app, started with the app's first worker, gone with its last); everything else goes to the plain
// spawner. The supervisor does not know the difference: a worker is a ChildHandle like any other.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildHandle, ChildHooks, ClusterLaunch, Spawner, SpawnRequest } from '../supervisor/ports.js';
import { PrimaryProcess } from './primary-process.js';

export interface ClusterSpawner extends Spawner {
  /** Shuts down the primaries left (call once every unit is stopped) and resolves when they are gone. */
  close(): Promise<void>;
}

export interface ClusterSpawnerDeps {
  /** The plain spawner: fork-mode processes, and the primaries themselves. */
  fork: Spawner;
  /** Default: dist/cluster-primary.js next to the daemon bundle. */
  primaryScript?: string | null;
  log(line: string): void;
}

export function createClusterSpawner(deps: ClusterSpawnerDeps): ClusterSpawner {
  const script = deps.primaryScript === undefined ? findPrimaryScript() : deps.primaryScript;
  /** The primary taking new workers, per app and launch settings. */
  const current = new Map<string, PrimaryProcess>();
  /** Every primary still alive, including those shutting down. */
  const alive = new Set<PrimaryProcess>();
  let nextRef = 1;

  function primaryFor(target: ClusterLaunch, req: SpawnRequest): PrimaryProcess {
    // A primary's settings (binary, node_args, script) are fixed when it starts; changed settings get a new one.
    const key = JSON.stringify([
      target.app,
      target.interpreter,
      target.execArgv,
      target.script,
      target.args,
      req.cwd,
    ]);
    const existing = current.get(key);
    if (existing?.accepting) return existing;
    const primary: PrimaryProcess = new PrimaryProcess(target, req.cwd, req.env, {
      spawner: deps.fork,
      script,
      log: deps.log,
      onRetired: (p) => {
        if (current.get(key) === p) current.delete(key);
      },
    });
    if (primary.accepting) current.set(key, primary);
    alive.add(primary);
    void primary.closed.then(() => alive.delete(primary));
    return primary;
  }

  return {
    spawn(req: SpawnRequest, hooks: ChildHooks): ChildHandle {
      if (!req.cluster) return deps.fork.spawn(req, hooks);
      return primaryFor(req.cluster, req).fork(nextRef++, req.env, hooks);
    },
    async close(): Promise<void> {
      const left = [...alive];
      for (const primary of left) primary.shutdown();
      await Promise.all(left.map((p) => p.closed));
    },
  };
}

/** Bundled: dist/daemon.cjs; from source (tsx): src/cluster/. */
function findPrimaryScript(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of ['cluster-primary.js', '../cluster-primary.js', '../../dist/cluster-primary.js']) {
    const file = join(here, candidate);
    if (existsSync(file)) return file;
  }
  return null;
}
