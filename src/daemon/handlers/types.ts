import type { MethodName, Params, Result } from '../../protocol/methods/index.js';
import type { ConnectionContext, DaemonContext } from '../context.js';

export type Handler<M extends MethodName> = (
  params: Params<M>,
  ctx: DaemonContext,
  conn: ConnectionContext,
) => Promise<Result<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };
