import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';
import * as z from '../zod.js';

export const processDelete = defineMethod({
  name: 'process.delete',
  summary: 'Stop and forget the matching processes.',
  params: () =>
    z.strictObject({
      target: Target(),
      wait: z._default(z.boolean(), true),
    }),
  result: () => z.strictObject({ processes: z.array(ProcessInfo()) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
