/** The HTTP listener: alert_bridge.listen (or a test's override, which alone may say port 0), hardened. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hardenServer, parseListen } from '@traderadmin/config';
import type { createApp } from '../http/server.js';

export async function listenOn(
  app: ReturnType<typeof createApp>,
  listen: { host: string; port: number },
): Promise<{ server: Server; url: string }> {
  const server: Server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(listen.port, listen.host, (error?: Error) => (error ? reject(error) : resolve(s)));
    s.once('error', reject);
  });
  hardenServer(server);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${host}:${address.port}` };
}

/** HOST:PORT; port 0 (any free port) is only for tests and benchmarks, so only the override accepts it. */
export function listenAddress(listenText: string): { host: string; port: number } {
  const listen = /:0$/.test(listenText) ? { host: listenText.slice(0, -2).replace(/^\[|\]$/g, ''), port: 0 } : parseListen(listenText);
  if (!listen) throw new Error(`listen address ${listenText} is not HOST:PORT`);
  return listen;
}
