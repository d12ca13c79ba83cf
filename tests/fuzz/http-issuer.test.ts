// Hostile input against the REAL issuer app (real service, SQLite store, anchorer and dev chain): never a 5xx or a hang.
import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ISSUER_BODY_LIMIT_BYTES } from '../../src/server/issuer-app';
import { listen } from '../../src/server/listen';
import { CONTENT_TYPES, INVALID_UTF8, NASTY_ID_SEGMENTS, NASTY_STRINGS, anythingAsJson, nastyJson, nastyJsonTexts } from './corpus';
import { bounded, expectSafeAnswer, prototypeClean } from './http-checks';
import { sampleRecord, useFuzzSystem } from './system';

const env = useFuzzSystem();

type Auth = 'none' | 'bogus' | 'issue' | 'status' | 'admin';

function request(method: string, path: string, options: { auth?: Auth; body?: NonNullable<RequestInit['body']>; type?: string | undefined; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth ?? 'admin';
  if (auth === 'bogus') headers.authorization = `Bearer mct_${'0'.repeat(16)}_${'a'.repeat(43)}`;
  else if (auth !== 'none') headers.authorization = `Bearer ${env.sys.tokens[auth]}`;
  if (options.type !== undefined) headers['content-type'] = options.type;
  return Promise.resolve(env.sys.issuerApp.request(path, { method, headers, ...(options.body === undefined ? {} : { body: options.body }) }));
}

/** Body-taking routes; `:id` is filled with the sample credential's id. */
const POST_ROUTES = ['/v1/credentials', '/v1/credentials/batch', '/v1/credentials/:id/revoke', '/v1/credentials/:id/suspend', '/v1/credentials/:id/reinstate', '/credentials/issue'] as const;
const GET_ROUTES = ['/v1/credentials', '/v1/credentials/:id', '/v1/batches', '/healthz', '/openapi.json', '/.well-known/did.json'] as const;
const AUTHS: readonly Auth[] = ['none', 'bogus', 'issue', 'status', 'admin'];

const withId = (route: string) => route.replace(':id', encodeURIComponent(env.sys.credentialId));

describe('the issuer API under hostile input (real service and store)', () => {
  it('a good record is issued through the app, so the refusals below come from a working service', async () => {
    const answer = await expectSafeAnswer('good record', () => request('POST', '/v1/credentials', { auth: 'issue', body: JSON.stringify(sampleRecord()), type: 'application/json' }));
    expect(answer.status).toBe(201);
  });

  it('generated JSON bodies on every body route, with and without a valid token', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...POST_ROUTES),
        fc.constantFrom(...AUTHS),
        fc.oneof(nastyJson.map((v) => JSON.stringify(v) ?? 'null'), anythingAsJson, fc.constantFrom(...nastyJsonTexts().filter((t) => t.length < 300_000))),
        async (route, auth, text) => {
          const answer = await expectSafeAnswer(`${route} as ${auth}: ${text.slice(0, 100)}`, () => request('POST', withId(route), { auth, body: text, type: 'application/json' }));
          if (auth === 'none' || auth === 'bogus') expect(answer.status).toBe(401);
        },
      ),
      { numRuns: 200, interruptAfterTimeLimit: 25_000 },
    );
    expect(prototypeClean()).toBe(true);
  });

  it('completion records with nasty field values and prototype keys: 201 or a 4xx naming the problem', async () => {
    const nastyRecord = fc.record({
      learner: fc.oneof(nastyJson, fc.record({ email: fc.oneof(fc.emailAddress(), fc.constantFrom(...NASTY_STRINGS)), name: fc.constantFrom(...NASTY_STRINGS) })),
      module: fc.oneof(
        nastyJson,
        fc.record({ id: fc.oneof(fc.webUrl(), fc.constantFrom(...NASTY_STRINGS)), name: fc.constantFrom(...NASTY_STRINGS), description: fc.string(), criteria: fc.string(), credits: fc.oneof(fc.double(), fc.constantFrom(1e308, -1, 0)) }),
      ),
      completedAt: fc.oneof(fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())), fc.constantFrom(...NASTY_STRINGS)),
      validFor: fc.constantFrom('P2Y', 'P99999999Y', 'PT0S', '-P1Y', 'P', 'x'),
      proto: fc.constantFrom('{}', '{"__proto__": {"polluted": 1}}', '{"constructor": {"prototype": {"polluted": 1}}}'),
    });
    await fc.assert(
      fc.asyncProperty(nastyRecord, fc.constantFrom('/v1/credentials', '/v1/credentials?format=jose', '/v1/credentials/batch'), async ({ proto, ...fields }, route) => {
        const text = JSON.stringify(fields).replace(/}$/, `, "extra": ${proto}}`);
        const body = route === '/v1/credentials/batch' ? `[${text}, ${text}]` : text;
        const answer = await expectSafeAnswer(`${route} ${body.slice(0, 200)}`, () => request('POST', route, { auth: 'issue', body, type: 'application/json' }));
        expect([200, 201, 207, 400, 409, 413, 422]).toContain(answer.status);
      }),
      { numRuns: 80, interruptAfterTimeLimit: 20_000 },
    );
    expect(prototypeClean()).toBe(true);
  });

  it('bytes that are not UTF-8 and wrong media types on every body route', async () => {
    for (const route of POST_ROUTES) {
      for (const bytes of INVALID_UTF8) {
        for (const type of ['application/json', 'text/csv']) {
          const answer = await expectSafeAnswer(`${route} ${type} ${Buffer.from(bytes).toString('hex')}`, () => request('POST', withId(route), { auth: 'admin', body: bytes, type }));
          expect(answer.status).toBeGreaterThanOrEqual(400);
        }
      }
      for (const type of [...CONTENT_TYPES, undefined]) {
        await expectSafeAnswer(`${route} as ${String(type)}`, () => request('POST', withId(route), { auth: 'admin', body: JSON.stringify(sampleRecord()), type }));
      }
    }
  });

  it('a body just over the limit is 413 on the single-credential routes', async () => {
    const over = new Uint8Array(DEFAULT_ISSUER_BODY_LIMIT_BYTES + 1).fill(0x20);
    for (const route of POST_ROUTES.filter((r) => r !== '/v1/credentials/batch')) {
      const answer = await expectSafeAnswer(`${route} over the limit`, () => request('POST', withId(route), { auth: 'admin', body: over, type: 'application/json' }));
      expect(answer.status).toBe(413);
    }
  });

  it('hostile credential ids in paths: traversal, bad escapes, unicode, 10 KB', async () => {
    for (const segment of NASTY_ID_SEGMENTS) {
      for (const [method, suffix] of [['GET', ''], ['POST', '/revoke'], ['POST', '/suspend'], ['POST', '/reinstate']] as const) {
        const path = `/v1/credentials/${segment}${suffix}`;
        const answer = await expectSafeAnswer(`${method} ${path.slice(0, 120)}`, () =>
          request(method, path, { auth: 'admin', ...(method === 'POST' ? { body: '{"reasonCode":"superseded"}', type: 'application/json' } : {}) }),
        );
        expect([400, 404, 405]).toContain(answer.status);
      }
    }
  });

  it('generated query strings on the list routes, and generated methods and paths', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/v1/credentials', '/v1/batches', '/v1/credentials/batch', '/v1/credentials'),
        fc.dictionary(fc.constantFrom('module', 'learner', 'from', 'to', 'status', 'batch', 'cursor', 'limit', 'state', 'format', 'atomic', '__proto__'), fc.oneof(fc.string(), fc.constantFrom(...NASTY_STRINGS), fc.integer().map(String), fc.constant('1e400'))),
        async (route, query) => {
          const search = new URLSearchParams(Object.entries(query)).toString();
          const method = route.endsWith('batch') ? 'POST' : 'GET';
          await expectSafeAnswer(`${method} ${route}?${search.slice(0, 200)}`, () => request(method, `${route}?${search}`, { auth: 'admin', ...(method === 'POST' ? { body: '[]', type: 'application/json' } : {}) }), method);
        },
      ),
      { numRuns: 120, interruptAfterTimeLimit: 10_000 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
        fc.oneof(fc.constantFrom(...GET_ROUTES, ...POST_ROUTES, '/v1/batches/anchor', '/v1/credentials/%', '/v1/credentials/%25/revoke'), fc.webPath().map((p) => `/v1${p}`)),
        fc.constantFrom<Auth>('none', 'admin'),
        async (method, route, auth) => {
          await expectSafeAnswer(`${method} ${route}`, () => request(method, withId(route), { auth }), method);
        },
      ),
      { numRuns: 120, interruptAfterTimeLimit: 10_000 },
    );
  });

  it('hostile cohort CSVs on the batch route: formulas, BOM, quoted newlines, wrong columns, prototype columns, 20,000 columns', async () => {
    const header = 'learner_email,module_id,module_name,module_description,criteria,completed_at';
    const good = 'ada@example.org,https://example.org/m,"=HYPERLINK(""http://evil"")","multi\nline",@SUM(1),2025-02-28T09:30:00Z';
    const csvs = [
      `\ufeff${header}\n${good}\n`,
      `${header}\r\n${good}\r\n-2+3,+1,=1,@1,\t=1,\r=1\r\n`,
      `${header}\n"unclosed,quote\n`,
      `${header},__proto__\n${good},x\n`,
      `${header},constructor\n${good},x\n`,
      `${header},toString\n${good},x\n`,
      `__proto__,constructor,prototype\nx,y,z\n`,
      `${header}\n${good},extra,cells\nshort\n`,
      `${Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',')}\n`,
      `${header}\n${'x'.repeat(300_000)}\n`,
      '',
      '\ufeff',
      '\n\n\n',
    ];
    const statuses: number[] = [];
    for (const csv of csvs) {
      const answer = await expectSafeAnswer(`CSV ${JSON.stringify(csv.slice(0, 120))}`, () => request('POST', '/v1/credentials/batch', { auth: 'issue', body: csv, type: 'text/csv' }));
      expect([200, 207, 400, 413, 422]).toContain(answer.status);
      statuses.push(answer.status);
    }
    // The well-formed files were issued (the formula cells are data inside a credential, not a spreadsheet).
    expect(statuses.slice(0, 2)).toEqual([200, 207]);
    expect(prototypeClean()).toBe(true);
  });

  it('generated CSV text on the batch route', async () => {
    const cell = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length < 200), '"', '""', '\n', '\r\n', ','));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 6 }), fc.boolean(), async (rows, withHeader) => {
        const lines = rows.map((r) => r.join(','));
        const text = (withHeader ? ['learner_email,module_id,module_name,module_description,criteria,completed_at', ...lines] : lines).join('\n');
        await expectSafeAnswer(`CSV ${JSON.stringify(text.slice(0, 200))}`, () => request('POST', '/v1/credentials/batch?atomic=true', { auth: 'issue', body: text, type: 'text/csv' }));
      }),
      { numRuns: 100, interruptAfterTimeLimit: 15_000 },
    );
  });

  it('hostile Authorization and Idempotency-Key headers', async () => {
    const values = ['Bearer', 'Bearer ', 'Basic YTpi', `Bearer ${'x'.repeat(10_000)}`, 'Bearer mct_\u0000', `Bearer ${env.sys.tokens.issue} extra`, 'bearer\t' + env.sys.tokens.issue];
    for (const authorization of values) {
      const safe = authorization.replace(/[^\t\x20-\x7e]/g, '?');
      await expectSafeAnswer(`auth ${safe.slice(0, 40)}`, () => env.sys.issuerApp.request('/v1/credentials', { headers: { authorization: safe } }), 'GET');
    }
    for (const key of ['', ' ', 'k'.repeat(256), 'k'.repeat(255), '__proto__', 'ü']) {
      const body = JSON.stringify(sampleRecord());
      await expectSafeAnswer(`idempotency ${key.slice(0, 20)}`, () => request('POST', '/v1/credentials', { auth: 'issue', body, type: 'application/json', headers: { 'idempotency-key': encodeURIComponent(key) } }));
    }
  });

  it('a slowloris client on a real socket is cut off with 408 within the request timeout, and others are served meanwhile', async () => {
    const server = await listen(env.sys.issuerApp, { requestTimeoutMs: 1_000 });
    try {
      const socket = net.connect(server.port, '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(`POST /v1/credentials HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${env.sys.tokens.issue}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"learner":`);
      // Meanwhile another client is served.
      const health = await bounded('healthz beside the slow client', fetch(`${server.url}/healthz`));
      expect(health.status).toBe(200);
      await bounded('the server cutting the slow client off', closed, 15_000);
      expect(received).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await server.close();
    }
  });

  it('made no outbound request, left Object.prototype clean and logged no unexpected error', () => {
    expect(env.trap.attempts).toEqual([]);
    expect(prototypeClean()).toBe(true);
    expect(env.sys.unexpected).toEqual([]);
  });
});
