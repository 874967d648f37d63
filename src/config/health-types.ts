// The value types of the readiness, probe, reload-gate and dependency fields (issue 13), for the app
// schema (config/schema.ts maps each kind here). The probes' and depends_on's own grammars are in
// probe-field.ts and depends-on-field.ts; what needs the app or the other apps is checked later
// (health-fields.ts, dependency-checks.ts).
import * as z from '../protocol/zod.js';
import { dependsOnType } from './depends-on-field.js';
import { type FieldTypes, fieldTypes } from './field-types.js';
import { probeTypes, secondsType } from './probe-field.js';
import { parseReadyLogLine } from './ready-log-line.js';

const expect = (message: string) => ({ error: message });
const READY_LOG_LINE = 'expected text to find in a line of output, or "/regex/flags"';
const POSITIVE = 'expected a positive integer';

/** The value types of these fields, built anew on each call (why: config/schema.ts). */
export function healthTypes(t: FieldTypes = fieldTypes()) {
  const readyLogLine = z.string(expect(READY_LOG_LINE)).check(
    z.minLength(1, expect(READY_LOG_LINE)),
    z.superRefine((written, ctx) => {
      const parsed = parseReadyLogLine(written);
      if (parsed.kind === 'invalid')
        ctx.addIssue({ code: 'custom', message: parsed.problem, input: written });
    }),
  );
  const onReadyTimeout = z.enum(['fail', 'assume_ready'], expect('expected "fail" or "assume_ready"'));
  const probeVia = z.enum(['any_worker'], expect('expected "any_worker"'));
  const positiveCount = z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v)),
    z.number(expect(POSITIVE)).check(z.int(expect(POSITIVE)), z.gte(1, expect(POSITIVE))),
  );
  return {
    readyLogLine,
    onReadyTimeout,
    seconds: secondsType(false),
    ...probeTypes(t),
    probeVia,
    positiveCount,
    dependsOn: dependsOnType(t),
  };
}
