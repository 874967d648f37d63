import { defineMethod } from '../define.js';
import { ProcessInfo } from '../process-info.js';
import * as z from '../zod.js';

export const processList = defineMethod({
  name: 'process.list',
  summary: 'Every instance with its state, counters and resource usage.',
  params: () => z._default(z.strictObject({}), {}),
  result: () => z.strictObject({ processes: z.array(ProcessInfo()) }),
  errors: [],
});
