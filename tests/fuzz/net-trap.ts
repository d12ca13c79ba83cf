// Traps outbound network in a test: fetch, http(s).request/get, net sockets and DNS lookups to anything but loopback.
import dns from 'node:dns';
import dnsPromises from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

/** A set trap: every non-loopback attempt it saw, and how to take it off. */
export interface NetTrap {
  /** One line per attempt, e.g. `net.connect 169.254.169.254:80` or `dns.lookup evil.example`. */
  readonly attempts: string[];
  restore(): void;
}

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.', '::1', '[::1]', '0:0:0:0:0:0:0:1']);

/** True for 127.0.0.0/8, ::1, ::ffff:127.x and localhost: the test's own servers and chain. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_NAMES.has(h) || /^127\.\d+\.\d+\.\d+$/.test(h) || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(h) || /^\[?::ffff:127\./.test(h);
}

function hostOfUrl(input: unknown): string | undefined {
  try {
    const url = input instanceof URL ? input : new URL(typeof input === 'string' ? input : (input as { url: string }).url);
    return url.hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

function hostOfRequestArgs(args: unknown[]): string {
  const [first, second] = args;
  if (typeof first === 'string' || first instanceof URL) return hostOfUrl(first) ?? String(first);
  const options = (typeof first === 'object' && first !== null ? first : typeof second === 'object' && second !== null ? second : {}) as {
    hostname?: string;
    host?: string;
  };
  return (options.hostname ?? options.host ?? 'localhost').replace(/^\[|\]$/g, '').replace(/:\d+$/, '');
}

/**
 * Wraps globalThis.fetch, http/https request and get, net.Socket#connect (which every TCP client, undici included,
 * goes through) and dns.lookup / dns.promises.lookup. Loopback passes; anything else is recorded and fails with
 * ECONNREFUSED/ENOTFOUND, so nothing leaves the machine. Lookups of IP literals need no network and pass to the real
 * lookup; the connection that would follow is what the socket trap catches.
 */
export function trapOutbound(): NetTrap {
  const attempts: string[] = [];
  const originals = {
    fetch: globalThis.fetch,
    httpRequest: http.request,
    httpGet: http.get,
    httpsRequest: https.request,
    httpsGet: https.get,
    // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as a method, with its own `this`
    connect: net.Socket.prototype.connect,
    lookup: dns.lookup,
    promisesLookup: dnsPromises.lookup,
  };

  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const host = hostOfUrl(input);
    if (host === undefined || !isLoopbackHost(host)) {
      attempts.push(`fetch ${String(input instanceof Request ? input.url : input).slice(0, 200)}`);
      return Promise.reject(new TypeError('outbound fetch blocked by the test'));
    }
    return originals.fetch(input, init);
  });

  const wrapRequest = <F extends (...args: never[]) => unknown>(name: string, original: F): F =>
    ((...args: unknown[]) => {
      const host = hostOfRequestArgs(args);
      if (!isLoopbackHost(host)) attempts.push(`${name} ${host}`);
      // Passed on: the socket trap below refuses the connection itself.
      return (original as unknown as (...a: unknown[]) => unknown)(...args);
    }) as unknown as F;
  http.request = wrapRequest('http.request', originals.httpRequest);
  http.get = wrapRequest('http.get', originals.httpGet);
  https.request = wrapRequest('https.request', originals.httpsRequest);
  https.get = wrapRequest('https.get', originals.httpsGet);

  net.Socket.prototype.connect = function trappedConnect(this: net.Socket, ...args: unknown[]) {
    const [first, second] = args;
    let host: string | undefined;
    let isPath = false;
    if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
      const options = first as { host?: string; path?: string };
      isPath = typeof options.path === 'string';
      host = options.host ?? 'localhost';
    } else if (Array.isArray(first)) {
      // net's internal normalised form: [options, callback].
      const options = (first[0] ?? {}) as { host?: string; path?: string };
      isPath = typeof options.path === 'string';
      host = options.host ?? 'localhost';
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      host = typeof second === 'string' ? second : 'localhost';
    } else if (typeof first === 'string') {
      isPath = true;
    }
    if (!isPath && host !== undefined && !isLoopbackHost(host)) {
      attempts.push(`net.connect ${host}`);
      const error = Object.assign(new Error(`outbound connection to ${host} blocked by the test`), { code: 'ECONNREFUSED' });
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (originals.connect as (...a: unknown[]) => net.Socket).apply(this, args);
  };

  dns.lookup = function trappedLookup(hostname: string, ...rest: unknown[]) {
    if (net.isIP(hostname) === 0 && !isLoopbackHost(hostname)) {
      attempts.push(`dns.lookup ${hostname}`);
      const callback = rest[rest.length - 1] as (error: Error) => void;
      const error = Object.assign(new Error(`DNS lookup of ${hostname} blocked by the test`), { code: 'ENOTFOUND' });
      process.nextTick(() => callback(error));
      return undefined;
    }
    return (originals.lookup as (...a: unknown[]) => unknown)(hostname, ...rest);
  } as typeof dns.lookup;

  dnsPromises.lookup = function trappedPromisesLookup(hostname: string, ...rest: unknown[]) {
    if (net.isIP(hostname) === 0 && !isLoopbackHost(hostname)) {
      attempts.push(`dns.promises.lookup ${hostname}`);
      return Promise.reject(Object.assign(new Error(`DNS lookup of ${hostname} blocked by the test`), { code: 'ENOTFOUND' }));
    }
    return (originals.promisesLookup as (...a: unknown[]) => Promise<unknown>)(hostname, ...rest);
  } as typeof dnsPromises.lookup;
  // ESM namespaces of builtins (what `import { lookup } from 'node:dns/promises'` reads) follow only after this.
  syncBuiltinESMExports();

  return {
    attempts,
    restore() {
      globalThis.fetch = originals.fetch;
      http.request = originals.httpRequest;
      http.get = originals.httpGet;
      https.request = originals.httpsRequest;
      https.get = originals.httpsGet;
      net.Socket.prototype.connect = originals.connect;
      dns.lookup = originals.lookup;
      dnsPromises.lookup = originals.promisesLookup;
      syncBuiltinESMExports();
    },
  };
}
