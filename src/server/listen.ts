// Serves a hono app over real HTTP with @hono/node-server, on loopback and a free port unless told otherwise.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { guardConnections, type ConnectionGuardOptions } from './connection-guard';
import { createVerifierApp, type VerifierAppOptions } from './verifier-app';

/** A running HTTP server. */
export interface RunningServer {
  /** Base URL such as `http://127.0.0.1:41234`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, closes open connections and resolves when the server is closed. */
  close(): Promise<void>;
}

/** Anything with hono's `fetch` signature: a Hono app, or a wrapper around one. */
export interface FetchHandler {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

/** Default time a client has to send a whole request (headers and body) before it gets 408 and is disconnected. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Options of {@link listen}. */
export interface ListenOptions extends ConnectionGuardOptions {
  hostname?: string;
  port?: number;
  /** Time to receive a whole request; a slow (slowloris) client is cut off after it. Default 30 s. */
  requestTimeoutMs?: number;
}

/**
 * Starts `app` on `hostname` (default 127.0.0.1) and `port` (default 0: a free port chosen by the OS). Node's own
 * defaults would let a client that trickles its body hold a connection for 5 minutes and more, so the request and
 * header timeouts are set here, and checked often enough that they hold.
 */
export function listen(app: FetchHandler, options: ListenOptions = {}): Promise<RunningServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const serverOptions = {
    requestTimeout,
    headersTimeout: Math.min(requestTimeout, 20_000),
    connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(requestTimeout / 4))),
  };
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: (request, env) => app.fetch(request, env), hostname, port: options.port ?? 0, serverOptions }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error === undefined ? done() : fail(error)));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    guardConnections(server as unknown as Parameters<typeof guardConnections>[0], {
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
      ...(options.maxConnectionsPerClient === undefined ? {} : { maxConnectionsPerClient: options.maxConnectionsPerClient }),
    });
    server.once('error', reject);
  });
}

/** Starts the verifier app (API and page) for `options.verifier` on loopback; for tests and `microcred serve`. */
export function startVerifierServer(options: VerifierAppOptions & { hostname?: string; port?: number }): Promise<RunningServer> {
  const { hostname, port, ...appOptions } = options;
  return listen(createVerifierApp(appOptions), { ...(hostname === undefined ? {} : { hostname }), ...(port === undefined ? {} : { port }) });
}
