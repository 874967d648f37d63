import type { Handler } from './types.js';

export const handleSubscribe: Handler<'events.subscribe'> = async (_params, ctx, conn) => {
  // Subscribe before taking the snapshot: an event between the two is sent, never lost (it may repeat what
  // the snapshot shows, which is harmless).
  const off = ctx.bus.subscribe((e) => conn.sendEvent(e));
  conn.onClose(off);
  return { processes: ctx.supervisor.list() };
};
