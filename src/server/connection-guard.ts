// Socket-level limits Node's HTTP server lacks: a deadline for the first request, and a cap on connections per address.
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** Default time a new connection has to send a complete request head before it is closed. */
export const DEFAULT_IDLE_CONNECTION_TIMEOUT_MS = 10_000;
/** Default most open connections from one client address (later ones are closed at once). */
export const DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 64;

/** Options of {@link guardConnections}. */
export interface ConnectionGuardOptions {
  /** Time from accept to the first complete request head; default 10 s. */
  idleTimeoutMs?: number;
  /** Open connections allowed per remote address; default 64. */
  maxConnectionsPerClient?: number;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1) throw new RangeError(`${name} must be a positive integer (got ${String(value)})`);
  return chosen;
}

/**
 * Closes connections that never send a request head (Node's headersTimeout only starts once bytes arrive, so a silent
 * socket was held forever) and caps connections per remote address, so one client cannot take every file descriptor.
 * After the first request, Node's keepAliveTimeout, headersTimeout and requestTimeout govern the connection.
 */
export function guardConnections(server: Pick<HttpServer, 'on'>, options: ConnectionGuardOptions = {}): void {
  const idleMs = positive(options.idleTimeoutMs, DEFAULT_IDLE_CONNECTION_TIMEOUT_MS, 'idleTimeoutMs');
  const maxPerClient = positive(options.maxConnectionsPerClient, DEFAULT_MAX_CONNECTIONS_PER_CLIENT, 'maxConnectionsPerClient');
  const open = new Map<string, number>();
  const firstRequestDeadline = new WeakMap<Socket, NodeJS.Timeout>();

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > maxPerClient) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    const timer = setTimeout(() => socket.destroy(), idleMs);
    timer.unref();
    firstRequestDeadline.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  server.on('request', (request: IncomingMessage) => {
    const timer = firstRequestDeadline.get(request.socket);
    if (timer !== undefined) {
      clearTimeout(timer);
      firstRequestDeadline.delete(request.socket);
    }
  });
}
