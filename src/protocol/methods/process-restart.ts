import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';
import { fileParam, updateEnvParam } from '../update-env.js';
import * as z from '../zod.js';

export const processRestart = defineMethod({
  name: 'process.restart',
  summary: 'Restart the matching processes (start those that are stopped).',
  params: () =>
    z.strictObject({
      target: Target(),
      wait: z._default(z.boolean(), true),
      /** --update-env: take the caller's environment (and the file's env) before starting. */
      update_env: updateEnvParam(),
      /** The target was this ecosystem file: its current configuration applies first (not its env). */
      file: fileParam(),
    }),
  /** What the command should tell the user (file settings that need another command to apply). */
  result: () => z.strictObject({ processes: z.array(ProcessInfo()), notes: z.optional(z.array(z.string())) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND', 'TEND_ERR_CONFIG_INVALID'],
});
