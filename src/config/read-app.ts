// From one raw app object (as written) to validated fields, its env_<name> sections, the stored PM2
// fields and the notes: everything that depends on the app alone. Problems are returned, not thrown,
// so normalize.ts can report every app's problems in one error.

import { nameFromScript, nameProblem } from './app-name.js';
import { ALIASES, resolveAliases, STORED_FIELDS } from './field-names.js';
import { type FieldTypes, fieldTypes } from './field-types.js';
import { type ConfigIssue, describeValue, issuesFromZod } from './issues.js';
import { toPlain } from './plain.js';
import { ACTIVE_FIELDS, appSchema, type EnvSections, envSectionsSchema, type RawApp } from './schema.js';
import { closest } from './suggest.js';

export interface ReadApp {
  /** `apps[2]`: prefixes this app's messages. */
  readonly location: string;
  readonly name: string;
  readonly fields: RawApp;
  readonly envSections: EnvSections;
  readonly stored: Record<string, unknown>;
  readonly notes: string[];
}

export type ReadResult = { ok: true; app: ReadApp } | { ok: false; issues: ConfigIssue[] };

const KNOWN_NAMES: readonly string[] = [...ACTIVE_FIELDS, ...Object.values(ALIASES).flat(), ...STORED_FIELDS];

/** What readApp() checks with: built once for all the apps of one validation, then dropped. */
export function readSchemas(t: FieldTypes = fieldTypes()) {
  return { app: appSchema(t), envSections: envSectionsSchema(t) };
}
export type ReadSchemas = ReturnType<typeof readSchemas>;

export function readApp(
  raw: Readonly<Record<string, unknown>>,
  index: number,
  schemas: ReadSchemas,
): ReadResult {
  const location = `apps[${index}]`;
  // null means "not set": YAML `cwd:` with no value, JSON placeholders.
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null && v !== undefined));
  const { fields, written, conflicts } = resolveAliases(given);
  const notes = conflicts.map((c) => `${location}: ${c}`);

  const active: Record<string, unknown> = {};
  const sections: Record<string, unknown> = {};
  const stored: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (ACTIVE_FIELDS.has(key)) active[key] = value;
    else if (STORED_FIELDS.has(key)) {
      const plain = toPlain(value);
      if (plain !== undefined) stored[key] = plain;
      notes.push(`${location}: ${key} is accepted and stored; it takes effect in a later tend version`);
    } else if (/^env_./.test(key)) sections[key] = value;
    else {
      const hint = closest(key, KNOWN_NAMES);
      notes.push(`${location}: unknown field "${key}" ignored${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
  }

  const issues: ConfigIssue[] = [];
  const parsed = schemas.app.safeParse(active, { reportInput: true });
  if (!parsed.success)
    issues.push(...issuesFromZod(parsed.error, { prefix: location, input: active, written }));
  const envs = schemas.envSections.safeParse(sections, { reportInput: true });
  if (!envs.success) issues.push(...issuesFromZod(envs.error, { prefix: location, input: sections }));
  if (!parsed.success || !envs.success) return { ok: false, issues };

  const app = parsed.data;
  const name = app.name ?? nameFromScript(app.script);
  if (app.name === undefined) {
    // Only a derived name needs checking here: the schema checked a written one.
    const problem = nameProblem(name);
    if (problem) {
      const message = `${problem}, got ${describeValue(name)} (from the script's file name; set "name")`;
      return { ok: false, issues: [{ path: `${location}.name`, message }] };
    }
  }
  return { ok: true, app: { location, name, fields: app, envSections: envs.data, stored, notes } };
}
