import type * as z from '../protocol/zod.js';

/** One line per problem: `target: expected array, received string`. */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(params)'}: ${i.message}`)
    .join('; ');
}
