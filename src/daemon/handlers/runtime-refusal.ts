// What tend-runtime's control socket refuses (ctx.role 'runtime'): a verb that would change the process list
// the container's orchestrator owns. The wording is container/context.ts's for save, resurrect and web.
import { TendError } from '../../protocol/errors.js';

export function refusedInRuntime(what: string, fix: string): TendError {
  return new TendError('TEND_ERR_USAGE', {
    detail: `${what} is not available in tend-runtime (the container's orchestrator owns the process list): ${fix}`,
  });
}
