import { TendError } from '../../protocol/errors.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { VERSION } from '../../version.js';
import type { Handler } from './types.js';

export const handleHello: Handler<'daemon.hello'> = async (params, ctx) => {
  if (params.protocol !== PROTOCOL_VERSION) {
    throw new TendError('TEND_ERR_PROTOCOL_MISMATCH', { daemon: PROTOCOL_VERSION, client: params.protocol });
  }
  const notices = ctx.persistence.takeNew();
  return {
    protocol: PROTOCOL_VERSION,
    version: VERSION,
    pid: process.pid,
    home: ctx.paths.home,
    ...(notices.length > 0 ? { notices } : {}),
    ...(ctx.persistence.notices.length > 0 ? { startup_notices: [...ctx.persistence.notices] } : {}),
  };
};
