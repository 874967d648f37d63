import { defineMethod } from '../define.js';
import { ProcessInfo } from '../process-info.js';
import * as z from '../zod.js';

export const subscribe = defineMethod({
  name: 'events.subscribe',
  summary: 'Reply with a snapshot of every instance, then send every event on this connection.',
  params: () => z._default(z.strictObject({}), {}),
  result: () => z.strictObject({ processes: z.array(ProcessInfo()) }),
  errors: [],
});
