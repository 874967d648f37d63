// The tcp_socket probe: success when a connection opens; it is closed at once (nothing is sent).
import net from 'node:net';
import type { ProbeHandler } from '../config/spec.js';
import type { ProbeResult, ProbeTarget } from './probe-types.js';
import { messageOf, socketRun } from './run-outcome.js';

type TcpSocket = Extract<ProbeHandler, { tcp_socket: unknown }>['tcp_socket'];

export function runTcpProbe(
  tcp: TcpSocket,
  target: ProbeTarget,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  return socketRun(tcp.port, target, timeoutMs, signal, (port, finish) => {
    const socket = net.connect({ host: tcp.host, port });
    socket.on('connect', () => finish({ ok: true, output: 'connected', error: null }));
    socket.on('error', (err) => finish({ ok: false, output: messageOf(err), error: messageOf(err) }));
    return socket;
  });
}
