// The JSON Schema of ecosystem files (draft-07, what editors support best), derived from the field
// registry: `tend schema` prints it, and the package ships it as schema/ecosystem.schema.json (a test keeps
// the file equal to this). Editors use it to complete field names and flag wrong values as you type; the
// daemon still checks everything (it is the trust boundary, and a .js file is not checked by an editor).
//
// It is stricter than tend in one way, on purpose: a field tend does not know is an editor error here (a
// typo is what an editor should catch), while tend itself only notes it and starts the app.
// Plain data, no zod: the CLI builds it without loading a schema library.
import { DURATION_PATTERN } from './duration.js';
import { STORED_FIELD_NAMES } from './field-names.js';
import { healthKindSchemas } from './json-schema-health.js';
import { notifyKindSchema } from './json-schema-notify.js';
import { FIELDS, type FieldDef, type Kind } from './registry/index.js';
import { SIZE_PATTERN } from './size.js';

type Schema = Record<string, unknown>;

const INTEGER_TEXT = '^\\s*-?\\d+\\s*$';
const COUNT_TEXT = '^\\s*\\d+\\s*$';
const BOOLEAN: Schema = {
  anyOf: [
    { type: 'boolean' },
    { type: 'string', pattern: '^\\s*([tT][rR][uU][eE]|[fF][aA][lL][sS][eE])\\s*$' },
  ],
};
const TEXT: Schema = { type: 'string', minLength: 1 };
const count = (max?: number): Schema => ({
  anyOf: [
    { type: 'integer', minimum: 0, ...(max === undefined ? {} : { maximum: max }) },
    { type: 'string', pattern: COUNT_TEXT },
  ],
});
const duration = (minimum: number): Schema => ({
  anyOf: [
    { type: 'number', minimum },
    { type: 'string', pattern: DURATION_PATTERN },
  ],
});
const ENV_VARS: Schema = {
  type: 'object',
  // An object or a list is passed as its JSON text (PM2's way).
  additionalProperties: { type: ['string', 'number', 'boolean', 'null', 'object', 'array'] },
};
const listOf = (item: Schema): Schema => ({ anyOf: [item, { type: 'array', items: item }] });
const PORT: Schema = {
  anyOf: [
    { type: 'integer', minimum: 1, maximum: 65535 },
    { type: 'string', pattern: COUNT_TEXT },
  ],
};

/** The JSON Schema of each kind: the forms tend accepts (config/field-types.ts), as far as JSON Schema can say. */
const KIND_SCHEMA: Readonly<Record<Kind, Schema>> = {
  name: { type: 'string', pattern: '^[^/\\s]+$', not: { pattern: '^(\\d+|all)$' } },
  script: TEXT,
  directory: TEXT,
  interpreter: TEXT,
  namespace: TEXT,
  file: TEXT,
  args: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: ['string', 'number', 'boolean'] } }] },
  instances: {
    anyOf: [
      { type: 'integer' },
      { type: 'string', pattern: INTEGER_TEXT },
      { type: 'string', pattern: '^\\s*[mM][aA][xX]\\s*$' },
    ],
  },
  execMode: { enum: ['fork', 'cluster', 'fork_mode', 'cluster_mode'] },
  envVars: ENV_VARS,
  envFile: listOf(TEXT),
  port: PORT,
  boolean: BOOLEAN,
  count: count(),
  duration: duration(0),
  signal: { type: 'string', examples: ['SIGINT', 'SIGTERM', 'SIGUSR2'] },
  exitCodes: listOf(count(255)),
  logFile: { anyOf: [...(BOOLEAN.anyOf as Schema[]), TEXT] },
  dateFormat: { ...TEXT, examples: ['YYYY-MM-DD HH:mm:ss Z'] },
  logType: { enum: ['raw', 'json'] },
  size: {
    anyOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', pattern: SIZE_PATTERN },
    ],
  },
  rotateInterval: { type: 'string', examples: ['daily', 'hourly', 'weekly', 'monthly', '0 0 * * *'] },
  watch: { anyOf: [...(BOOLEAN.anyOf as Schema[]), TEXT, { type: 'array', items: TEXT, minItems: 1 }] },
  globs: listOf(TEXT),
  watchOptions: { type: 'object' },
  checkInterval: duration(100),
  cron: { type: 'string', examples: ['0 */6 * * *'] },
  timeZone: { type: 'string', examples: ['UTC', 'Europe/Paris'] },
  envName: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', examples: ['PORT'] },
  ...healthKindSchemas({ BOOLEAN, TEXT, ENV_VARS, PORT }),
  notify: notifyKindSchema(),
};

/** A field's schema: its kind's, its doc and default, and null (a field set to null counts as not set). */
function fieldSchema(f: FieldDef, description: string): Schema {
  const kind = KIND_SCHEMA[f.kind];
  const forms = Array.isArray(kind.anyOf) ? (kind.anyOf as Schema[]) : [kind];
  const out: Schema = { description, anyOf: [...forms, { type: 'null' }] };
  if (f.default !== undefined) out.default = f.default;
  return out;
}

function appSchema(): Schema {
  const properties: Record<string, Schema> = {};
  for (const f of FIELDS as readonly FieldDef[]) {
    properties[f.name] = fieldSchema(f, f.doc);
    for (const alias of f.aliases ?? [])
      properties[alias] = fieldSchema(f, `PM2's name for ${f.name}: ${f.doc}`);
  }
  for (const name of STORED_FIELD_NAMES)
    properties[name] = {
      description: 'a PM2 field tend accepts and stores; it takes effect in a later version',
    };
  return {
    type: 'object',
    properties,
    // env_<name> sections (`--env <name>` selects one); env_file is a field of its own.
    patternProperties: { '^env_(?!file$).+$': { anyOf: [ENV_VARS, { type: 'null' }] } },
    additionalProperties: false,
    anyOf: [{ required: ['script'] }, { required: ['exec'] }],
  };
}

/** The JSON Schema of an ecosystem file: `{ apps: [...] }`, a list of apps, or one app. */
export function ecosystemJsonSchema(): Schema {
  const app = { $ref: '#/definitions/app' };
  const apps = { type: 'array', items: app, minItems: 1 };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'tend ecosystem file',
    description: 'Apps for tend (PM2 field names): `tend start <file>`. Fields: docs/config.md.',
    definitions: { app: appSchema() },
    anyOf: [
      {
        type: 'object',
        required: ['apps'],
        // Other keys (PM2's `deploy`, `$schema`) are ignored by tend.
        properties: { apps: { anyOf: [apps, app] } },
      },
      apps,
      app,
    ],
  };
}
