// A loopback port nobody listens on right now, for an app that must listen on a known port.
import { once } from 'node:events';
import net from 'node:net';

/** Listen on 0, read the port, close. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
