import { z } from 'zod';
import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';

export const processDelete = defineMethod({
  name: 'process.delete',
  summary: 'Stop and forget the matching processes.',
  params: z.strictObject({
    target: Target,
    wait: z.boolean().default(true),
  }),
  result: z.strictObject({ processes: z.array(ProcessInfo) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
