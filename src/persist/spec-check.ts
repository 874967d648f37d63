// A saved spec comes back from disk: it was written by a tend, maybe an older one, maybe damaged. Each field
// is checked against a reference spec (a trivial app normalised by this tend): a field of the wrong kind
// rejects the app; a field this tend has and the file lacks (added by a later version) takes the reference's
// default. So a field added to AppSpec later is migrated with no code here.
import { deepFreeze } from '../config/deep-freeze.js';
import type { AppSpec } from '../config/spec.js';

/** Fields without a meaningful default: a saved spec must have them. */
const REQUIRED = ['name', 'script', 'cwd', 'exec_mode', 'instances'] as const;

/** The checked, frozen spec; or a one-line reason. */
export function checkSpec(saved: Record<string, unknown>, reference: AppSpec): AppSpec | string {
  const name = typeof saved.name === 'string' ? saved.name : '(unnamed app)';
  for (const key of REQUIRED) {
    if (saved[key] === undefined) return `app ${name}: field ${key} is missing; app skipped`;
  }
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(reference)) {
    const value = saved[key];
    if (value === undefined) {
      out[key] = structuredClone(def);
      continue;
    }
    if (!sameKind(value, def)) {
      return `app ${name}: field ${key} is ${kind(value)}, expected ${kind(def)}; app skipped`;
    }
    out[key] = value;
  }
  if (out.exec_mode !== 'fork' && out.exec_mode !== 'cluster') {
    return `app ${name}: field exec_mode is ${JSON.stringify(out.exec_mode)}; app skipped`;
  }
  if (!Number.isInteger(out.instances) || (out.instances as number) < 1) {
    return `app ${name}: field instances is ${JSON.stringify(out.instances)}; app skipped`;
  }
  return deepFreeze(out as unknown as AppSpec);
}

/**
 * Nullable fields (interpreter, log_file…) hold null or a value: null matches either way. A field whose
 * default is `false` may be a `false | list` field (`watch`: false or the watched paths): a list matches too.
 */
function sameKind(value: unknown, def: unknown): boolean {
  if (value === null || def === null) return true;
  if (def === false) return typeof value === 'boolean' || Array.isArray(value);
  return kind(value) === kind(def);
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
