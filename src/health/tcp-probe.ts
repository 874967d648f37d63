// The tcp_socket probe: success when a connection opens; it is closed at once (nothing is sent).
import net from 'node:net';
import type { ProbeHandler } from '../config/spec.js';
import { expandPort } from './port.js';
import type { ProbeResult, ProbeTarget } from './probe-types.js';
import { messageOf, outcome } from './run-outcome.js';

type TcpSocket = Extract<ProbeHandler, { tcp_socket: unknown }>['tcp_socket'];

export function runTcpProbe(
  tcp: TcpSocket,
  target: ProbeTarget,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  let socket: net.Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  const run = outcome(signal, () => {
    clearTimeout(timer);
    socket?.destroy();
  });
  if (run.done || signal?.aborted) return run.promise;
  let port: number;
  try {
    port = expandPort(tcp.port, target.env, target.instance);
  } catch (err) {
    run.finish({ ok: false, output: messageOf(err), error: messageOf(err) });
    return run.promise;
  }
  timer = setTimeout(() => {
    const error = `timeout after ${timeoutMs} ms`;
    run.finish({ ok: false, output: error, error });
  }, timeoutMs);
  socket = net.connect({ host: tcp.host, port });
  socket.on('connect', () => run.finish({ ok: true, output: 'connected', error: null }));
  socket.on('error', (err) => run.finish({ ok: false, output: messageOf(err), error: messageOf(err) }));
  return run.promise;
}
