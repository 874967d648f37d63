import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';
import * as z from '../zod.js';

// PM2's `reset`: the counters start again from zero, the processes are not touched (issue 17).
export const processReset = defineMethod({
  name: 'process.reset',
  summary:
    'Zero the counters of the matching processes (restarts, unstable restarts, trigger restarts); they keep running.',
  params: () => z.strictObject({ target: Target() }),
  result: () => z.strictObject({ processes: z.array(ProcessInfo()) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
