import { defineMethod } from '../define.js';
import * as z from '../zod.js';

export const logsReload = defineMethod({
  name: 'logs.reload',
  summary: 'Reopen every log file (after an external logrotate moved them).',
  params: () => z._default(z.strictObject({}), {}),
  result: () => z.strictObject({ files: z.array(z.string()) }),
  errors: [],
});
