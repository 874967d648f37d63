import { defineMethod } from '../define.js';
import * as z from '../zod.js';
import { LogFileInfo, LogsQuery } from './logs-files.js';

export const logsSubscribe = defineMethod({
  name: 'logs.subscribe',
  summary:
    'Reply with the log files (as logs.files), then send every new line of the matching processes as log.lines events.',
  params: () => z._default(LogsQuery(), { target: ['all'], streams: ['out', 'err'] }),
  result: () => z.strictObject({ files: z.array(LogFileInfo()) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
