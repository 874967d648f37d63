import { defineMethod } from '../define.js';
import { Status, Target } from '../process-info.js';
import * as z from '../zod.js';

const int = () => z.number().check(z.int());

export const processEnv = defineMethod({
  name: 'process.env',
  summary:
    'The environment each matching running process was started with, read from /proc/<pid>/environ (the ' +
    'worker pid in cluster mode). Values of variables whose names contain TOKEN, SECRET, PASSWORD or KEY ' +
    '(any case) are masked unless show_secrets. Processes not running are listed in skipped; none running is ' +
    'TEND_ERR_NOT_RUNNING.',
  params: () =>
    z.strictObject({
      target: Target(),
      show_secrets: z._default(z.boolean(), false),
    }),
  result: () =>
    z.strictObject({
      processes: z.array(
        z.strictObject({
          id: int(),
          name: z.string(),
          pid: int(),
          env: z.record(z.string(), z.string()),
          /** Names of the variables whose values were masked. */
          masked: z.array(z.string()),
        }),
      ),
      skipped: z.array(z.strictObject({ id: int(), name: z.string(), status: Status() })),
    }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND', 'TEND_ERR_NOT_RUNNING'],
});
