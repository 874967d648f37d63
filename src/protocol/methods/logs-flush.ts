import { defineMethod } from '../define.js';
import { Target } from '../process-info.js';
import * as z from '../zod.js';

export const logsFlush = defineMethod({
  name: 'logs.flush',
  summary: 'Empty the log files of the matching processes (rotated files are kept).',
  params: () => z._default(z.strictObject({ target: z._default(Target(), ['all']) }), { target: ['all'] }),
  result: () => z.strictObject({ files: z.array(z.string()) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
