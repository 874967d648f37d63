import { defineMethod } from '../define.js';
import { ProcessInfo, Target } from '../process-info.js';
import { updateEnvParam } from '../update-env.js';
import * as z from '../zod.js';

export const processReload = defineMethod({
  name: 'process.reload',
  summary:
    'Zero-downtime reload: each cluster worker in turn is replaced by a new one, which must be ready (listening, ' +
    'or "ready" with wait_ready) within listen_timeout before the old one stops serving and is stopped ' +
    'gracefully. Fork-mode processes are restarted. Replies once done; the first replacement that fails ' +
    'ends the reload with TEND_ERR_RELOAD_FAILED, the old worker still serving.',
  params: z.strictObject({ target: Target, update_env: updateEnvParam }),
  result: z.strictObject({ processes: z.array(ProcessInfo) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND', 'TEND_ERR_CONFIG_INVALID', 'TEND_ERR_RELOAD_FAILED'],
});
