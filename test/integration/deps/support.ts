// Shared by the depends_on integration tests: apps from fixtures with their dependencies, a start through
// the real daemon, and the order of what happened, read from the daemon's own events.
import { join } from 'node:path';
import type { AppInput } from '../../../src/config/input-types.js';
import type { TendEvent } from '../../../src/protocol/events.js';
import type { ProcessInfo } from '../../../src/protocol/process-info.js';
import { FIXTURES, type TestDaemon } from '../../helpers/daemon.js';

/** A dependency as written in an ecosystem file (the long form). */
export interface Needs {
  condition?: string;
  timeout_seconds?: number;
  restart?: boolean;
  bind?: boolean;
  required?: boolean;
}

/** An app running a fixture; `needs` is its depends_on (the object form). */
export function app(
  name: string,
  fixture: string,
  needs: Record<string, Needs> = {},
  over: Record<string, unknown> = {},
): AppInput {
  const a: Record<string, unknown> = { name, script: join(FIXTURES, fixture), kill_timeout: 2000, ...over };
  if (Object.keys(needs).length > 0) a.depends_on = needs;
  return a as AppInput;
}

/** Starts apps as the command line does (strictly: any problem fails the call). */
export function startApps(d: TestDaemon, apps: AppInput[], opts: { wait?: boolean; no_deps?: boolean } = {}) {
  return d.client.call('app.start', {
    apps,
    source: null,
    base_dir: FIXTURES,
    env: { PATH: process.env.PATH ?? '' },
    wait: opts.wait ?? true,
    no_deps: opts.no_deps ?? false,
  });
}

/** Index of the first state event of app `name` into `to` (after `from`), or -1. */
export function when(events: readonly TendEvent[], name: string, to: string, from = 0): number {
  return events.findIndex(
    (e, i) => i >= from && e.event === 'process.state' && e.data.name === name && e.data.to === to,
  );
}

/** The apps in the order of their first state event into `to`. */
export function orderOf(events: readonly TendEvent[], to: string, from = 0): string[] {
  const names: string[] = [];
  for (const e of events.slice(from))
    if (e.event === 'process.state' && e.data.to === to && !names.includes(e.data.name))
      names.push(e.data.name);
  return names;
}

export const byName = (processes: readonly ProcessInfo[], name: string): ProcessInfo => {
  const p = processes.find((x) => x.name === name);
  if (!p) throw new Error(`${name} is not in ${processes.map((x) => x.name).join(', ')}`);
  return p;
};

/** Deletes every app (between tests). */
export async function deleteAll(d: TestDaemon): Promise<void> {
  const { processes } = await d.client.call('process.list');
  if (processes.length > 0) await d.client.call('process.delete', { target: ['all'] });
}
