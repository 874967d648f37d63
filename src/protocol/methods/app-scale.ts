import { defineMethod } from '../define.js';
import { ProcessInfo } from '../process-info.js';
import * as z from '../zod.js';

export const appScale = defineMethod({
  name: 'app.scale',
  summary:
    'Set the number of instances of an app: new instances are started (replying once they settled), the ' +
    'highest ones are stopped gracefully and deleted.',
  params: () =>
    z.strictObject({
      name: z.string().check(z.minLength(1)),
      instances: z.number().check(z.int(), z.gte(1), z.lte(10_000)),
    }),
  result: () => z.strictObject({ processes: z.array(ProcessInfo()) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
