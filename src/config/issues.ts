// Config problems, worded for people: `apps[2].max_restarts: expected a non-negative integer, got -1`.
// The schema's messages say what was expected; this file adds where (the path as the user wrote it) and
// what was received, and folds every problem into one TEND_ERR_CONFIG_INVALID so a user fixes them all
// in one pass instead of one per run.

import { TendError } from '../protocol/errors.js';
import type * as z from '../protocol/zod.js';
import { maskedText, maskedValue } from './shown-value.js';

export interface ConfigIssue {
  /** Where, as the user would write it: `apps[0].env.PORT`. */
  readonly path: string;
  /** What was expected and what was received. */
  readonly message: string;
}

/** `apps[0]` + ['env', 'MY-VAR'] → `apps[0].env["MY-VAR"]`. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/**
 * A short, JSON-like rendering of a received value, for "got …": secrets masked (shown-value.ts), by the value
 * and by `key`, the field or variable it was given for (eighth audit: a database URL with its password was
 * echoed in clear). Every message that shows a value the user wrote goes through here.
 */
export function describeValue(value: unknown, key?: string): string {
  if (value === undefined) return 'nothing';
  const shown = maskedValue(value, key);
  let text: string;
  try {
    // No JSON (a function, a symbol): its text, masked too (a function's source may hold a URL).
    text = typeof shown === 'number' ? String(shown) : (JSON.stringify(shown) ?? maskedText(String(shown)));
  } catch {
    text = typeof shown === 'string' ? shown : maskedText(String(shown));
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export interface ZodIssueContext {
  /** Location of the app, e.g. `apps[2]`. */
  readonly prefix: string;
  /** The object that was parsed, to show the value the user gave (before any coercion). */
  readonly input: unknown;
  /** canonical field → the alias the user wrote, so `output` is not reported as `out_file`. */
  readonly written?: ReadonlyMap<string, string>;
}

export function issuesFromZod(error: z.core.$ZodError, context: ZodIssueContext): ConfigIssue[] {
  return error.issues.map((issue) => {
    let path = issue.path.map((key, i) =>
      i === 0 && typeof key === 'string' ? (context.written?.get(key) ?? key) : key,
    );
    // Fields taking "one value or a list" wrap a single value before checking: report it where it was
    // written (`stop_exit_codes`, not `stop_exit_codes[0]`).
    const last = issue.path.length - 1;
    if (
      last > 0 &&
      typeof issue.path[last] === 'number' &&
      !Array.isArray(valueAt(context.input, issue.path.slice(0, last)))
    ) {
      path = path.slice(0, last);
    }
    let value = valueAt(context.input, issue.path);
    // A coerced value has no twin in the input: show zod's copy of it.
    if (value === undefined && 'input' in issue) value = issue.input;
    // The field or variable the value was given for (`env.DB_PASSWORD`, `args[2]` is args'), for its mask.
    const key = issue.path.findLast((k): k is string => typeof k === 'string');
    return {
      path: formatPath(context.prefix, path),
      message: `${issue.message}, got ${describeValue(value, key)}`,
    };
  });
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** The single error for every problem found in one input. */
export function configError(source: string | null, issues: readonly ConfigIssue[]): TendError {
  return new TendError('TEND_ERR_CONFIG_INVALID', {
    where: source ?? 'command line',
    detail: issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n'),
    issues: issues.map((issue) => ({ path: issue.path, message: issue.message })),
  });
}
