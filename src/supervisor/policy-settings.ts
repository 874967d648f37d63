// The watch / memory / cron restart settings of an app, as `describe` shows them (read through this one
// function; the fields are the registry's "watch, memory and cron" group, validated by config/ and acted on
// by src/triggers). A test checks that this shape and the registry's group name the same fields.
import type { AppSpec } from '../config/spec.js';

export interface PolicySettings {
  /** Absolute paths watched, or false. */
  watch: false | string[];
  ignore_watch: string[];
  watch_delay: number;
  /** Bytes, or null: no limit. */
  max_memory_restart: number | null;
  memory_check_interval: number;
  cron_restart: string | null;
  cron_restart_tz: string | null;
  /** Always true since the policies are live (kept for describe --json readers). */
  active: boolean;
}

export function policySettings(spec: AppSpec): PolicySettings {
  return {
    watch: spec.watch === false ? false : [...spec.watch],
    ignore_watch: [...spec.ignore_watch],
    watch_delay: spec.watch_delay,
    max_memory_restart: spec.max_memory_restart > 0 ? spec.max_memory_restart : null,
    memory_check_interval: spec.memory_check_interval,
    cron_restart: spec.cron_restart,
    cron_restart_tz: spec.cron_restart_tz,
    active: true,
  };
}
