import { z } from 'zod';
import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';

export const processStart = defineMethod({
  name: 'process.start',
  summary: 'Start the matching processes that are not running.',
  params: z.strictObject({
    target: Target,
    wait: z.boolean().default(true),
  }),
  result: z.strictObject({ processes: z.array(ProcessInfo) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
