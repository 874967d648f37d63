// croner (cron expressions: cron_restart, rotate_interval), loaded on first use with require. Most daemons
// never see a cron expression, and its ~41 kB of source and compiled code would otherwise sit in the
// daemon's memory for months: croner stays out of the daemon bundle (scripts/build.mjs) like chokidar.
// With require, not import(): in the CommonJS bundles, import() would load Node's ES module loader.
import { createRequire } from 'node:module';
import type { Cron } from 'croner';

let loaded: typeof Cron | null = null;

/** croner's Cron class. */
export function cronClass(): typeof Cron {
  loaded ??= (createRequire(import.meta.url)('croner') as typeof import('croner')).Cron;
  return loaded;
}
