// A running app's configuration as app input again (registry field names, the spec's values), so that
// `restart --node-args …` or `restart --watch` can go through restart-with-a-file (daemon/apply-file.ts):
// the daemon normalises and checks it like any file, and keeps what a restart keeps (env, names, logs).
import { FIELDS, type FieldDef, specKeyOf } from '../../config/registry/index.js';

export function inputOfSpec(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of FIELDS as readonly FieldDef[]) {
    const value = config[specKeyOf(f)];
    if (value !== null && value !== undefined) input[f.name] = value;
  }
  return input;
}
