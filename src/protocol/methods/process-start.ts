import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';
import { updateEnvParam } from '../update-env.js';
import * as z from '../zod.js';

export const processStart = defineMethod({
  name: 'process.start',
  summary: 'Start the matching processes that are not running.',
  params: () =>
    z.strictObject({
      target: Target(),
      wait: z._default(z.boolean(), true),
      /** --update-env: take the caller's environment (and the file's env) before starting. */
      update_env: updateEnvParam(),
      /** --no-deps: start the processes alone, not their dependencies (a note for each one that is down). */
      no_deps: z._default(z.boolean(), false),
    }),
  result: () =>
    z.strictObject({
      processes: z.array(ProcessInfo()),
      /** With update_env: the processes left running with their environment unchanged; dependency warnings. */
      notes: z.optional(z.array(z.string())),
    }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND', 'TEND_ERR_CONFIG_INVALID'],
});
