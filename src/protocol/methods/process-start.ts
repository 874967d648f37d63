import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';
import * as z from '../zod.js';

export const processStart = defineMethod({
  name: 'process.start',
  summary: 'Start the matching processes that are not running.',
  params: z.strictObject({
    target: Target,
    wait: z._default(z.boolean(), true),
  }),
  result: z.strictObject({ processes: z.array(ProcessInfo) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
