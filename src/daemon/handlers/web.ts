// daemon.web (`tend web`): the HTTP API on or off in the running daemon (daemon/http-control.ts).
import type { Handler } from './types.js';

export const handleWeb: Handler<'daemon.web'> = async (params, ctx) => ctx.web.web(params, ctx);
