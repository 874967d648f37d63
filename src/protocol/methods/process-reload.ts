import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';
import { fileParam, updateEnvParam } from '../update-env.js';
import * as z from '../zod.js';

export const processReload = defineMethod({
  name: 'process.reload',
  summary:
    'Zero-downtime reload: each cluster worker in turn is replaced by a new one, which must be ready (listening, ' +
    'or "ready" with wait_ready) within listen_timeout before the old one stops serving and is stopped ' +
    'gracefully. Fork-mode processes are restarted. Replies once done; the first replacement that fails ' +
    'ends the reload with TEND_ERR_RELOAD_FAILED, the old worker still serving.',
  params: () =>
    z.strictObject({
      target: Target(),
      update_env: updateEnvParam(),
      /** The target was this ecosystem file: its current configuration applies first (not its env). */
      file: fileParam(),
    }),
  /** What the command should tell the user (file settings that need another command to apply). */
  result: () => z.strictObject({ processes: z.array(ProcessInfo()), notes: z.optional(z.array(z.string())) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND', 'TEND_ERR_CONFIG_INVALID', 'TEND_ERR_RELOAD_FAILED'],
});
