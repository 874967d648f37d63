import { defineMethod } from '../define.js';
import * as z from '../zod.js';

const int = () => z.number().check(z.int());

export const daemonSave = defineMethod({
  name: 'daemon.save',
  summary:
    'Write the process list (every app, its ids, options, env and wanted state) to $TEND_HOME/dump.json: ' +
    'temp file, fsync, rename; the previous dump is kept as dump.json.bak.',
  params: () =>
    z._default(
      z.strictObject({
        /** Save even an empty list over a dump that holds apps (PM2's `save --force`). */
        force: z._default(z.boolean(), false),
      }),
      { force: false },
    ),
  result: () =>
    z.strictObject({
      file: z.string(),
      /** In a PM2 home (issue 17): $PM2_HOME/dump.pm2, written too, in PM2's format with tend's part. */
      pm2_file: z.optional(z.string()),
      apps: z.array(
        z.strictObject({
          name: z.string(),
          namespace: z.string(),
          ids: z.array(int()),
          /** Instances saved as wanted up (started by resurrect); the others stay stopped. */
          up: int(),
        }),
      ),
    }),
  errors: ['TEND_ERR_SAVE_FAILED', 'TEND_ERR_SAVE_EMPTY'],
});
