// The value types of ecosystem fields, as zod schemas with human messages. Each message states the
// expectation only ("expected …"); issues.ts appends the path and the value received. They accept the
// loose forms PM2 accepts (numeric strings, 'true', '10s') so existing files keep working, and output
// the one strict form later code relies on. Built per validation by fieldTypes() (why: config/schema.ts).

import os from 'node:os';
import * as z from '../protocol/zod.js';
import { nameProblem } from './app-name.js';
import { parseDuration } from './duration.js';
import { parseSize } from './size.js';
import type { ExecMode } from './spec.js';
import { splitArgs } from './split-args.js';

const expect = (message: string) => ({ error: message });

/** zod/mini has no `preprocess`; classic zod's is this pipe: `fn` runs first, then `schema` checks its result. */
function preprocess<S extends z.core.$ZodType>(
  fn: (value: unknown, ctx: z.core.ParsePayload) => unknown,
  schema: S,
) {
  return z.pipe(z.transform(fn), schema);
}

/** '42' → 42 (YAML and CLI values often arrive as strings); anything else is left for the check. */
function numeric(value: unknown): unknown {
  return typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

/** `args: ['--port', 3000]` is common: numbers and booleans are arguments too. */
function scalarToString(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

export function text(expectation: string) {
  return z.string(expect(expectation)).check(z.minLength(1, expect(expectation)));
}

const NON_NEGATIVE = 'expected a non-negative integer';
const DURATION = 'expected a duration: milliseconds, or a string such as "500ms", "10s" or "1m"';
/** Instances as written; 0 means "one per CPU" ('max' is mapped to it), -n means "CPUs minus n". */
const INSTANCES =
  'expected a number of instances: a positive integer, "max", 0 (one per CPU) or -n (CPUs minus n)';
const SIGNAL = 'expected a signal name such as "SIGINT" or "SIGTERM"';
const EXIT_CODE = 'expected an exit code (an integer from 0 to 255)';
const PORT = 'expected a port number (1 to 65535)';
const SIZE = 'expected a size: bytes, or a string such as "10M", "512K" or "1G"';

/** The value types of the app fields, built anew on each call (one call per validation). */
export function fieldTypes() {
  const appName = z.string(expect('expected a name (a string)')).check(
    z.superRefine((name, ctx) => {
      const problem = nameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: name });
    }),
  );

  const boolean = preprocess(
    (v) => (typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : v),
    z.boolean(expect('expected true or false')),
  );

  const nonNegativeInt = preprocess(
    numeric,
    z.number(expect(NON_NEGATIVE)).check(z.int(expect(NON_NEGATIVE)), z.gte(0, expect(NON_NEGATIVE))),
  );

  const duration = preprocess(
    (v) => (typeof v === 'string' ? (parseDuration(v) ?? v) : v),
    z.pipe(z.number(expect(DURATION)).check(z.gte(0, expect(DURATION))), z.transform(Math.round)),
  );

  const instances = preprocess(
    (v) => (typeof v === 'string' && v.trim().toLowerCase() === 'max' ? 0 : numeric(v)),
    z.number(expect(INSTANCES)).check(z.int(expect(INSTANCES))),
  );

  const execMode = z.pipe(
    z.enum(['fork', 'fork_mode', 'cluster', 'cluster_mode'], expect('expected "fork" or "cluster"')),
    z.transform((mode): ExecMode => (mode.startsWith('cluster') ? 'cluster' : 'fork')),
  );

  /** 'sigterm' and 'TERM' are read as SIGTERM; the name must exist on this OS. */
  const signal = preprocess(
    (v) => {
      if (typeof v !== 'string') return v;
      const upper = v.trim().toUpperCase();
      return upper.startsWith('SIG') ? upper : `SIG${upper}`;
    },
    z
      .string(expect(SIGNAL))
      .check(z.refine((name) => Object.hasOwn(os.constants.signals, name), expect(SIGNAL))),
  );

  const exitCode = preprocess(
    numeric,
    z
      .number(expect(EXIT_CODE))
      .check(z.int(expect(EXIT_CODE)), z.gte(0, expect(EXIT_CODE)), z.lte(255, expect(EXIT_CODE))),
  );
  /** One exit code or a list; a single one is wrapped first (issues.ts reports it at the field itself). */
  const exitCodes = preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(exitCode));

  /** A command line as one string (split like a shell would, quotes honoured) or a list of arguments. */
  const argList = preprocess(
    (value, ctx) => {
      if (typeof value !== 'string') return value;
      const words = splitArgs(value);
      // A zod/mini transform gets the bare parse payload (no addIssue): record the issue on it directly.
      if (words === null)
        ctx.issues.push({ code: 'custom', message: 'expected matching quotes', input: value });
      return words ?? [];
    },
    // Not a union of string | list: zod would then report a bad element as "not a string or a list" of
    // the whole value, instead of pointing at args[1].
    z.array(
      preprocess(scalarToString, z.string(expect('expected a string (one argument)'))),
      expect('expected a string or a list of strings'),
    ),
  );

  /**
   * Environment variables; numbers and booleans become strings, null means "not set here". An object or a
   * list is its JSON text, as PM2 passes it (issue 17: `CONFIG: { a: 1 }` → `CONFIG={"a":1}`).
   */
  const envVars = z.pipe(
    z.record(
      z.string(),
      preprocess(
        (v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : v),
        z.union(
          [z.string(), z.number(), z.boolean(), z.null()],
          expect('expected a string, number or boolean'),
        ),
      ),
      expect('expected an object of environment variables'),
    ),
    z.transform((vars) => {
      const out: Record<string, string> = {};
      for (const [key, value] of Object.entries(vars)) if (value !== null) out[key] = String(value);
      return out;
    }),
  );

  const port = preprocess(
    numeric,
    z.number(expect(PORT)).check(z.int(expect(PORT)), z.gte(1, expect(PORT)), z.lte(65535, expect(PORT))),
  );

  /** Bytes: max_size, max_memory_restart (config/size.ts: the one size grammar). */
  const size = preprocess(
    (v) => (typeof v === 'string' ? (parseSize(v) ?? v) : v),
    z.number(expect(SIZE)).check(z.int(expect(SIZE)), z.gte(0, expect(SIZE))),
  );

  return {
    appName,
    size,
    boolean,
    nonNegativeInt,
    duration,
    instances,
    execMode,
    signal,
    exitCodes,
    argList,
    envVars,
    port,
  };
}

export type FieldTypes = ReturnType<typeof fieldTypes>;
