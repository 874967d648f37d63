import { z } from 'zod';
import { defineMethod } from '../define.js';
import { ProcessInfo } from '../process-info.js';

export const kill = defineMethod({
  name: 'daemon.kill',
  summary: 'Stop every process, reply, then shut the daemon down.',
  params: z.strictObject({}).default({}),
  result: z.strictObject({ processes: z.array(ProcessInfo) }),
  errors: [],
});
