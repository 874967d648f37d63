import { z } from 'zod';
import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';

export const processRestart = defineMethod({
  name: 'process.restart',
  summary: 'Restart the matching processes (start those that are stopped).',
  params: z.strictObject({
    target: Target,
    wait: z.boolean().default(true),
  }),
  result: z.strictObject({ processes: z.array(ProcessInfo) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
