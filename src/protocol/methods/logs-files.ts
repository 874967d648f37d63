import { defineMethod } from '../define.js';
import { Target } from '../process-info.js';
import * as z from '../zod.js';

const int = () => z.number().check(z.int());
export const LogStream = () => z.enum(['out', 'err']);

/** One log file of the matching processes, and how to read it back. */
export const LogFileInfo = () =>
  z.strictObject({
    path: z.string(),
    /** Inode of the live file when the reply was made; null unless a regular file. */
    ino: z.nullable(int()),
    /** Bytes in the file, all of them written: read up to here, then follow. Null unless a regular file. */
    offset: z.nullable(int()),
    name: z.string(),
    namespace: z.string(),
    /** The processes writing to it (several with merge_logs). */
    ids: z.array(int()),
    /** The streams it holds (both when stdout and stderr share it). */
    streams: z.array(LogStream()),
    time: z.boolean(),
    log_date_format: z.string(),
    log_type: z.enum(['raw', 'json']),
  });
export type LogFileInfo = z.infer<ReturnType<typeof LogFileInfo>>;

export const LogsQuery = () =>
  z.strictObject({
    target: z._default(Target(), ['all']),
    streams: z._default(z.array(LogStream()).check(z.minLength(1)), ['out', 'err']),
  });

export const logsFiles = defineMethod({
  name: 'logs.files',
  summary: 'The log files of the matching processes, each with the offset up to which it is written.',
  params: () => z._default(LogsQuery(), { target: ['all'], streams: ['out', 'err'] }),
  result: () => z.strictObject({ files: z.array(LogFileInfo()) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
