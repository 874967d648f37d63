import { defineMethod } from '../define.js';
import { Status, Target } from '../process-info.js';
import * as z from '../zod.js';

const int = () => z.number().check(z.int());

export const processSignal = defineMethod({
  name: 'process.signal',
  summary:
    'Send a signal to the process of every matching instance (the process itself, not its group; the worker ' +
    'in cluster mode). The signal is a name ("SIGUSR2", "USR2", any case) or a number. The process is not ' +
    'restarted unless the signal makes it exit. Processes not running are listed in skipped.',
  params: () => z.strictObject({ target: Target(), signal: z.string() }),
  result: () =>
    z.strictObject({
      /** The signal's name, e.g. "SIGUSR2". */
      signal: z.string(),
      processes: z.array(z.strictObject({ id: int(), name: z.string(), pid: int() })),
      skipped: z.array(z.strictObject({ id: int(), name: z.string(), status: Status() })),
    }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND', 'TEND_ERR_INVALID_SIGNAL', 'TEND_ERR_NOT_RUNNING'],
});
