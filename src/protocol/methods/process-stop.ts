import { z } from 'zod';
import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';

export const processStop = defineMethod({
  name: 'process.stop',
  summary: 'Stop the matching processes; with wait, reply once they are stopped.',
  params: z.strictObject({
    target: Target,
    wait: z.boolean().default(true),
  }),
  result: z.strictObject({ processes: z.array(ProcessInfo) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
