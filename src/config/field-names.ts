// Field names beyond the registry's own fields: PM2's aliases (declared with their field in registry/, and
// folded here), and the PM2 fields tend accepts and stores for features of later versions. An existing
// ecosystem file must start unchanged, so neither is an error.

import { ALIASES } from './registry/index.js';

export { ALIASES };

/** PM2 fields kept in AppSpec.stored, as written; each gets a note until tend implements it. */
export const STORED_FIELD_NAMES = [
  // watch & reload
  'force',
  // resource and time based restarts
  'autostart',
  // pid files
  'pid_file',
  'pid',
  // environment and instances
  'append_env_to_name',
  'filter_env',
  'name_prefix',
  // process ownership and killing
  'treekill',
  'kill_retry_time',
  'uid',
  'user',
  'gid',
  'username',
  'windowsHide',
  // orchestration (tend's roadmap)
  'health_check',
  // PM2 runtime and monitoring extras
  'source_map_support',
  'disable_source_map_support',
  'vizion',
  'post_update',
  'install_url',
  'pmx',
  'automation',
  'trace',
  'disable_trace',
  'v8',
  'event_loop_inspector',
  'deep_monitoring',
  'execute_command',
  'write',
  'io',
] as const;
export const STORED_FIELDS: ReadonlySet<string> = new Set(STORED_FIELD_NAMES);

export interface AliasResult {
  /** The app's fields under canonical names. */
  readonly fields: Record<string, unknown>;
  /** canonical name → the name the user wrote, so messages quote the user's own field. */
  readonly written: ReadonlyMap<string, string>;
  /** Aliases given alongside their canonical field (the losers are named). */
  readonly conflicts: readonly string[];
}

export function resolveAliases(raw: Readonly<Record<string, unknown>>): AliasResult {
  const fields: Record<string, unknown> = { ...raw };
  const written = new Map<string, string>();
  const conflicts: string[] = [];
  for (const [canonical, aliases] of Object.entries(ALIASES)) {
    const given = [canonical, ...aliases].filter((name) => fields[name] !== undefined);
    for (const name of aliases) delete fields[name];
    const [winner, ...losers] = given;
    if (winner === undefined) continue;
    fields[canonical] = raw[winner];
    written.set(canonical, winner);
    if (losers.length > 0) {
      conflicts.push(`${losers.map((n) => `"${n}"`).join(', ')} ignored: "${winner}" is given too`);
    }
  }
  return { fields, written, conflicts };
}
