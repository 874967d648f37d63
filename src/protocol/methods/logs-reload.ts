import { defineMethod } from '../define.js';
import * as z from '../zod.js';

export const logsReload = defineMethod({
  name: 'logs.reload',
  summary:
    "Reopen every log file (after an external logrotate moved them), recreating tend's own logs directory if it was deleted; says what was reopened and what failed.",
  params: () => z._default(z.strictObject({}), {}),
  result: () =>
    z.strictObject({
      /** Directories created again (tend's own logs/). */
      recreated: z.array(z.string()),
      /** Files reopened. */
      files: z.array(z.string()),
      /** Files that could not be reopened, with why (their lines are dropped until fixed). */
      failed: z.array(z.strictObject({ path: z.string(), error: z.string() })),
    }),
  errors: [],
});
