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
    }),
  result: () => z.strictObject({ processes: z.array(ProcessInfo()) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
