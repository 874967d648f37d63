// The watch / memory / cron restart settings of an app, as `describe` shows them. Read through this one
// function: while these policies are not active the fields live in `spec.stored` (field-names.ts); once
// they are, only this body changes.
import type { AppSpec } from '../config/spec.js';

export interface PolicySettings {
  watch: unknown;
  ignore_watch: unknown;
  watch_delay: unknown;
  max_memory_restart: unknown;
  cron_restart: unknown;
  /** False while tend only stores these fields (they do nothing yet). */
  active: boolean;
}

export function policySettings(spec: AppSpec): PolicySettings {
  const s = spec.stored;
  return {
    watch: s.watch ?? false,
    ignore_watch: s.ignore_watch ?? [],
    watch_delay: s.watch_delay ?? null,
    max_memory_restart: s.max_memory_restart ?? null,
    cron_restart: s.cron_restart ?? s.cron ?? null,
    active: false,
  };
}
