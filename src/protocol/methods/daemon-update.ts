import { defineMethod } from '../define.js';
import * as z from '../zod.js';

export const daemonUpdate = defineMethod({
  name: 'daemon.update',
  summary:
    'Hand over to a new daemon: record the process list for the next daemon, stop every process, reply, ' +
    'exit. The next client to connect starts a daemon (the current dist/) that restores the list.',
  params: () => z._default(z.strictObject({}), {}),
  result: () =>
    z.strictObject({
      /** Instances handed over (those wanted up are started again by the next daemon). */
      processes: z.number().check(z.int()),
      /** When the daemon began stopping the apps, and when the last one was gone (ms since the epoch). */
      stopping_at: z.number(),
      stopped_at: z.number(),
    }),
  errors: ['TEND_ERR_SHUTTING_DOWN'],
});
