import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';
import * as z from '../zod.js';

export const processStop = defineMethod({
  name: 'process.stop',
  summary: 'Stop the matching processes; with wait, reply once they are stopped.',
  params: () =>
    z.strictObject({
      target: Target(),
      wait: z._default(z.boolean(), true),
      /** Stop the apps that depend on the targets first (dependents before what they need). */
      cascade: z._default(z.boolean(), false),
    }),
  result: () =>
    z.strictObject({
      processes: z.array(ProcessInfo()),
      /** Warnings: dependents left running with a dependency stopped (TEND_ERR_DEPENDENTS_RUNNING). */
      notes: z.optional(z.array(z.string())),
    }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
