// From one raw app object (as written) to validated fields, its env_<name> sections, the stored PM2
// fields and the notes: everything that depends on the app alone. Problems are returned, not thrown,
// so normalize.ts can report every app's problems in one error. An app with problems still yields the
// fields that are valid on their own, so the checks that need the file system (cwd, watch paths, env
// files) run on it too: a file's problems all show up in one run, not one more on each.

import type { ZodMiniType } from '../protocol/zod.js';
import { nameFromScript, nameProblem } from './app-name.js';
import { ALIASES, resolveAliases, STORED_FIELDS } from './field-names.js';
import { type FieldTypes, fieldTypes } from './field-types.js';
import { type ConfigIssue, describeValue, issuesFromZod } from './issues.js';
import { toPlain } from './plain.js';
import { FIELDS } from './registry/index.js';
import {
  ACTIVE_FIELDS,
  appSchema,
  type EnvSections,
  envSectionsSchema,
  kindSchemas,
  type RawApp,
} from './schema.js';
import { closest } from './suggest.js';

export interface ReadApp {
  /** `apps[2] (worker)`: prefixes this app's messages, naming it as the user wrote it. */
  readonly location: string;
  readonly name: string;
  /** Every field is valid: the app can become a spec. */
  readonly valid: boolean;
  /** The fields (all of them when valid; the ones valid on their own otherwise). */
  readonly fields: RawApp;
  /** Fields given with a wrong value (already reported): checks that depend on them are skipped. */
  readonly bad: ReadonlySet<string>;
  readonly envSections: EnvSections;
  readonly stored: Record<string, unknown>;
  readonly notes: string[];
}

export interface ReadResult {
  app: ReadApp;
  issues: ConfigIssue[];
}

const KNOWN_NAMES: readonly string[] = [...ACTIVE_FIELDS, ...Object.values(ALIASES).flat(), ...STORED_FIELDS];

/** What readApp() checks with: built once for all the apps of one validation, then dropped. */
export function readSchemas(t: FieldTypes = fieldTypes()) {
  const kinds = kindSchemas(t);
  return { app: appSchema(t, kinds), envSections: envSectionsSchema(t), kinds };
}
export type ReadSchemas = ReturnType<typeof readSchemas>;

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** `apps[2] (worker)`: the index, and the name as written (or derived from the script), when there is one. */
export function appLocation(index: number, raw: Readonly<Record<string, unknown>>): string {
  const script = raw.script ?? raw.exec;
  let name: string | null = null;
  // A written name, even a wrong one, is how the user knows the app; none written: the script's.
  if (typeof raw.name === 'string' && raw.name !== '') name = raw.name;
  else if (raw.name === undefined && typeof script === 'string' && script !== '')
    name = nameFromScript(script);
  if (name === null) return `apps[${index}]`;
  // A control character (a line break) in it would split the message's line: JSON-quoted then (eighth audit).
  return `apps[${index}] (${LINE_BREAKING.test(name) ? JSON.stringify(name) : name})`;
}

export function readApp(
  raw: Readonly<Record<string, unknown>>,
  index: number,
  schemas: ReadSchemas,
  /** The apps came from the command line (`tend start x.js`, `tend-runtime x.js`), not a file: hints name flags. */
  commandLine = false,
): ReadResult {
  // null means "not set": YAML `cwd:` with no value, JSON placeholders.
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null && v !== undefined));
  const location = appLocation(index, given);
  const { fields, written, conflicts } = resolveAliases(given);
  const notes = conflicts.map((c) => `${location}: ${c} (TEND_ERR_CONFIG_IGNORED)`);

  const active: Record<string, unknown> = {};
  const sections: Record<string, unknown> = {};
  const stored: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (ACTIVE_FIELDS.has(key)) active[key] = value;
    else if (STORED_FIELDS.has(key)) {
      const plain = toPlain(value);
      if (plain !== undefined) stored[key] = plain;
      notes.push(
        `${location}: ${key} is accepted and stored; it takes effect in a later tend version (TEND_ERR_CONFIG_STORED)`,
      );
    } else if (/^env_./.test(key)) sections[key] = value;
    else {
      const hint = closest(key, KNOWN_NAMES);
      notes.push(
        `${location}: unknown field "${key}" ignored${hint ? ` (did you mean "${hint}"?)` : ''} (TEND_ERR_CONFIG_IGNORED)`,
      );
    }
  }

  const issues: ConfigIssue[] = [];
  const parsed = schemas.app.safeParse(active, { reportInput: true });
  if (!parsed.success)
    issues.push(...issuesFromZod(parsed.error, { prefix: location, input: active, written }));
  const envs = schemas.envSections.safeParse(sections, { reportInput: true });
  if (!envs.success) issues.push(...issuesFromZod(envs.error, { prefix: location, input: sections }));

  // The schema's output has every field's strict type (schema.ts checks each kind against KindOutput).
  const app = (parsed.success ? parsed.data : validAlone(active, schemas)) as RawApp;
  const name = app.name ?? (typeof app.script === 'string' ? nameFromScript(app.script) : `apps[${index}]`);
  if (active.name === undefined && typeof app.script === 'string') {
    // Only a derived name needs checking here: the schema checked a written one (a wrong one is not in
    // `app`, and was reported once: not again as the script's name).
    const problem = nameProblem(name);
    if (problem) {
      // tend start and tend-runtime both take -n/--name; a file (or an API request) sets the field.
      const fix = commandLine ? 'give one with --name' : 'set "name"';
      const message = `${problem}, got ${describeValue(name)} (from the script's file name; ${fix})`;
      issues.push({ path: `${location}.name`, message });
    }
  }
  const valid = issues.length === 0;
  const envSections = envs.success ? envs.data : {};
  const bad = new Set(Object.keys(active).filter((k) => (app as Record<string, unknown>)[k] === undefined));
  return { app: { location, name, valid, fields: app, bad, envSections, stored, notes }, issues };
}

/** The fields whose values are valid on their own (for an app that has problems elsewhere). */
function validAlone(active: Record<string, unknown>, schemas: ReadSchemas): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    if (active[f.name] === undefined) continue;
    const kinds: Record<string, ZodMiniType> = schemas.kinds;
    const one = kinds[f.kind]?.safeParse(active[f.name]);
    if (one === undefined) continue;
    if (one.success) out[f.name] = one.data;
  }
  return out;
}
