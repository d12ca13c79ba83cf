// Finds a TCP port on 127.0.0.1 that is free right now, for servers that cannot bind port 0 themselves.
import net from 'node:net';

/** Binds port 0 on loopback, reads the port the OS chose, and releases it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
