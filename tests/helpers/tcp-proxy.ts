// A TCP proxy on 127.0.0.1 that a test can close and reopen on the same port: "the RPC endpoint goes away".
import net from 'node:net';

/** A running proxy in front of one TCP target. */
export interface TcpProxy {
  /** The port it listens on (kept across close/open). */
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** True while it accepts connections. */
  readonly listening: boolean;
  /** Stops accepting and cuts every open connection: clients now get ECONNREFUSED. */
  close(): Promise<void>;
  /** Listens again on the same port. */
  open(): Promise<void>;
}

/** Starts a proxy from 127.0.0.1:`port` (0 = any free port) to `target`. */
export async function startTcpProxy(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (on: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(on, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : on);
      });
    });
  const bound = await listen(port);
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    get listening() {
      return server.listening;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
    open: async () => {
      if (!server.listening) await listen(bound);
    },
  };
}
