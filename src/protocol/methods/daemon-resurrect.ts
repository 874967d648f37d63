import { defineMethod } from '../define.js';
import { ProcessInfo } from '../process-info.js';
import * as z from '../zod.js';

export const daemonResurrect = defineMethod({
  name: 'daemon.resurrect',
  summary:
    'Bring back the saved process list (dump.json, or dump.json.bak if it is damaged): same names, ids ' +
    '(when free), env and options; stopped ones stay stopped; apps already there are skipped. Replies once ' +
    'the started ones settled.',
  params: () =>
    z._default(
      z.strictObject({
        /**
         * Issue 17: the apps of a list the caller read (`tend-pm2 resurrect`: the tend part of dump.pm2's
         * entries), in dump.json's shape, checked as dump.json's apps are; instead of dump.json.
         */
        list: z.optional(
          z.strictObject({
            /** The file it came from, for the result and messages. */
            source: z.string(),
            apps: z.array(
              z.strictObject({ spec: z.record(z.string(), z.unknown()), units: z.array(z.unknown()) }),
            ),
          }),
        ),
      }),
      {},
    ),
  result: () =>
    z.strictObject({
      /** The file read: dump.json, or dump.json.bak. */
      file: z.string(),
      processes: z.array(ProcessInfo()),
      skipped: z.array(z.strictObject({ name: z.string(), namespace: z.string(), reason: z.string() })),
      /** Changes from the saved list (an id that was taken, an app that could not be read). */
      notes: z.array(z.string()),
      /** Problems with the file itself (dump.json damaged, .bak used). */
      warnings: z.array(z.string()),
    }),
  errors: ['TEND_ERR_DUMP_NOT_FOUND', 'TEND_ERR_DUMP_CORRUPT', 'TEND_ERR_DUMP_FORMAT'],
});
