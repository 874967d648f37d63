import { z } from 'zod';
import { defineMethod } from '../define.js';
import { ProcessInfo } from '../process-info.js';

export const processList = defineMethod({
  name: 'process.list',
  summary: 'Every instance with its state, counters and resource usage.',
  params: z.strictObject({}).default({}),
  result: z.strictObject({ processes: z.array(ProcessInfo) }),
  errors: [],
});
