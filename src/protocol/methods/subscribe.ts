import { z } from 'zod';
import { defineMethod } from '../define.js';
import { ProcessInfo } from '../process-info.js';

export const subscribe = defineMethod({
  name: 'events.subscribe',
  summary: 'Reply with a snapshot of every instance, then send every event on this connection.',
  params: z.strictObject({}).default({}),
  result: z.strictObject({ processes: z.array(ProcessInfo) }),
  errors: [],
});
