import { defineMethod } from '../define.js';
import { ProcessInfo } from '../process-info.js';
import * as z from '../zod.js';

export const kill = defineMethod({
  name: 'daemon.kill',
  summary: 'Stop every process, reply, then shut the daemon down.',
  params: () => z._default(z.strictObject({}), {}),
  result: () => z.strictObject({ processes: z.array(ProcessInfo()) }),
  errors: [],
});
