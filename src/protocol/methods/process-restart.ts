import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';
import { updateEnvParam } from '../update-env.js';
import * as z from '../zod.js';

export const processRestart = defineMethod({
  name: 'process.restart',
  summary: 'Restart the matching processes (start those that are stopped).',
  params: z.strictObject({
    target: Target,
    wait: z._default(z.boolean(), true),
    /** --update-env: take the caller's environment (and the file's env) before starting. */
    update_env: updateEnvParam,
  }),
  result: z.strictObject({ processes: z.array(ProcessInfo) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND', 'TEND_ERR_CONFIG_INVALID'],
});
