// THE field registry: every app field declared once (fields-*.ts), and what is derived from it without a
// schema library: the names tend acts on, PM2's aliases, the defaults, the docs' cells. The zod schema
// (config/schema.ts), the JSON Schema (config/json-schema.ts), the CLI's flags (cli/commands/start.ts),
// describe's groups and apply-file's comparisons read it too. Plain data: the CLI may load it.

import { type FieldDef, type Group, KIND_TEXT } from './field.js';
import { COMMAND_FIELDS } from './fields-command.js';
import { HEALTH_FIELDS } from './fields-health.js';
import { LOG_FIELDS } from './fields-logs.js';
import { NOTIFY_FIELDS } from './fields-notify.js';
import { RESTART_FIELDS } from './fields-restart.js';
import { TRIGGER_FIELDS_DEF } from './fields-triggers.js';

export type { Change, FieldDef, Flag, Group, Kind } from './field.js';

/** Every field, in the order docs/config.md lists them. */
export const FIELDS = [
  ...COMMAND_FIELDS,
  ...RESTART_FIELDS,
  ...LOG_FIELDS,
  ...TRIGGER_FIELDS_DEF,
  ...HEALTH_FIELDS,
  ...NOTIFY_FIELDS,
] as const;
export type Field = (typeof FIELDS)[number];
export type FieldName = Field['name'];

/** The field of a name (canonical names only). */
export function field(name: string): FieldDef | undefined {
  return (FIELDS as readonly FieldDef[]).find((f) => f.name === name);
}

/** Fields the schema validates and tend acts on (aliases excluded). */
export const ACTIVE_FIELDS: ReadonlySet<string> = new Set(FIELDS.map((f) => f.name));

/** PM2 aliases, by the canonical name. The first name given (canonical first) wins. */
export const ALIASES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  (FIELDS as readonly FieldDef[]).filter((f) => f.aliases).map((f) => [f.name, f.aliases ?? []]),
);

/** The fields of one `describe` group, in registry order. */
export function fieldsOf(group: Group): FieldDef[] {
  return (FIELDS as readonly FieldDef[]).filter((f) => f.group === group);
}

/** The AppSpec key of a field (`error_file` is kept as `err_file`). */
export function specKeyOf(f: FieldDef): string {
  return f.specKey ?? f.name;
}

/** docs/config.md's "default" cell. */
export function defaultCell(f: FieldDef): string {
  return f.defaultText ?? (f.default === undefined ? 'none' : String(f.default));
}

/** docs/config.md's "type" cell. */
export function typeCell(f: FieldDef): string {
  return f.typeText ?? KIND_TEXT[f.kind];
}

/** docs/config.md's "flag" cell: the long flags, as code. */
export function flagCell(f: FieldDef): string {
  return (f.flags ?? []).map((flag) => `\`${flag.syntax.replace(/^-\w, /, '')}\``).join(', ');
}

/** Markdown to the plain text of --help: no backticks, a link's text only. */
export function plainText(markdown: string): string {
  return markdown.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
}

type DefaultOf<N extends FieldName> =
  Extract<Field, { name: N }> extends { default: infer D } ? D : undefined;

/** A field's default, typed by the registry (`defaultOf('max_restarts')` is a number). */
export function defaultOf<N extends FieldName>(name: N): DefaultOf<N> {
  return field(name)?.default as DefaultOf<N>;
}
