// The verifier HTTP layer through app.request: routes, VC-API shapes, every problem code, limits, CORS, hostile bodies.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Hono } from 'hono';
import { createVerifierApp, type VerifierAppOptions } from '../../src/server/verifier-app';
import { rateLimit } from '../../src/server/middleware/rate-limit';
import { bodyLimit } from '../../src/server/middleware/body-limit';
import { apiCors } from '../../src/server/middleware/cors';
import { problemErrorHandler } from '../../src/server/error-handler';
import { PROBLEM_MEDIA_TYPE, ProblemError } from '../../src/server/problem';
import { MicrocredError, isMicrocredError } from '../../src/errors';
import { listen } from '../../src/server/listen';
import { SAMPLE_JWS, StandInVerifier, credentialFor } from './stand-in-verifier';

function makeApp(options: Partial<VerifierAppOptions> = {}) {
  const verifier = new StandInVerifier();
  const unexpected: unknown[] = [];
  const app = createVerifierApp({ verifier, onUnexpected: (e) => unexpected.push(e), rateLimit: false, ...options });
  return { app, verifier, unexpected };
}

/** The JSON body of an answer, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary members of the answer
async function json(response: Response | Promise<Response>): Promise<any> {
  return (await response).json() as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function postJson(app: Hono, path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe(PROBLEM_MEDIA_TYPE);
  const body = await json(response);
  expect(body).toMatchObject({ status, code, type: `urn:microcred:problem:${code}` });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  return body as Record<string, unknown>;
}

function expectOptionsError(build: () => unknown) {
  try {
    build();
  } catch (error) {
    expect(isMicrocredError(error, 'ERR_INVALID_OPTIONS')).toBe(true);
    return;
  }
  throw new Error('expected ERR_INVALID_OPTIONS');
}

describe('POST /v1/verify', () => {
  it('verifies a Data Integrity credential object and answers 200 with the outcome', async () => {
    const { app, verifier } = makeApp();
    const credential = credentialFor('valid');
    const response = await postJson(app, '/v1/verify', credential);
    expect(response.status).toBe(200);
    const outcome = await json(response);
    expect(outcome).toMatchObject({ verdict: 'valid', flags: [], kind: 'credential' });
    expect(outcome.summary.achievementName).toBe('Advanced Cardiac Life Support');
    expect(verifier.calls).toEqual([{ input: credential, options: {} }]);
  });

  it('answers an invalid credential with 200: the verdict is data, not an HTTP error', async () => {
    const { app } = makeApp();
    const response = await postJson(app, '/v1/verify', credentialFor('revoked'));
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ verdict: 'invalid', flags: ['revoked'] });
  });

  it('accepts a compact JWS as text/plain, as application/vc+jwt, as a JSON string and as {"credential": jws}', async () => {
    const { app, verifier } = makeApp();
    const answers = await Promise.all([
      app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: `${SAMPLE_JWS}\n` }),
      app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/vc+jwt' }, body: SAMPLE_JWS }),
      postJson(app, '/v1/verify', SAMPLE_JWS),
      postJson(app, '/v1/verify', { credential: SAMPLE_JWS }),
    ]);
    for (const answer of answers) expect(answer.status).toBe(200);
    expect(verifier.calls.map((c) => c.input)).toEqual([SAMPLE_JWS, SAMPLE_JWS, SAMPLE_JWS, SAMPLE_JWS]);
  });

  it('passes an envelope object through untouched, and accepts the VC media types', async () => {
    const { app, verifier } = makeApp();
    const envelope = {
      '@context': 'https://www.w3.org/ns/credentials/v2',
      id: `data:application/vc+jwt,${SAMPLE_JWS}`,
      type: 'EnvelopedVerifiableCredential',
    };
    expect((await postJson(app, '/v1/verify', envelope, { 'content-type': 'application/vc' })).status).toBe(200);
    expect((await postJson(app, '/v1/verify', envelope, { 'content-type': 'application/ld+json; charset=UTF-8' })).status).toBe(200);
    expect(verifier.calls.map((c) => c.input)).toEqual([envelope, envelope]);
  });

  it('takes a presentation with challenge and domain from the {verifiablePresentation, options} wrapper', async () => {
    const { app, verifier } = makeApp();
    const presentation = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], verifiableCredential: [credentialFor('valid'), credentialFor('expired')] };
    const response = await postJson(app, '/v1/verify', { verifiablePresentation: presentation, options: { challenge: 'n-0S6', domain: 'employer.example' } });
    expect(response.status).toBe(200);
    const outcome = await json(response);
    expect(outcome.kind).toBe('presentation');
    expect(outcome.credentials.map((c: { verdict: string }) => c.verdict)).toEqual(['valid', 'invalid']);
    expect(verifier.calls[0]).toEqual({ input: presentation, options: { challenge: 'n-0S6', domain: 'employer.example' } });
  });

  it('writes bigint values in check data as decimal strings', async () => {
    const { app } = makeApp();
    const outcome = await json(postJson(app, '/v1/verify', credentialFor('valid')));
    expect(outcome.checks.find((c: { check: string }) => c.check === 'anchor').data).toEqual({ blockNumber: '12' });
  });

  it('refuses bodies that are not a credential request with ERR_INVALID_REQUEST', async () => {
    const { app, verifier } = makeApp();
    for (const body of [[credentialFor('valid')], 42, null, true, '', '   ', { credential: 7 }, { verifiablePresentation: {}, options: { challenge: 5 } }, { options: {} }]) {
      await expectProblem(await postJson(app, '/v1/verify', body), 400, 'ERR_INVALID_REQUEST');
    }
    await expectProblem(await app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '  ' }), 400, 'ERR_INVALID_REQUEST');
    expect(verifier.calls).toEqual([]);
  });

  it('answers malformed JSON with ERR_MALFORMED_JSON and bytes that are not UTF-8 with ERR_MALFORMED_BODY', async () => {
    const { app } = makeApp();
    await expectProblem(await app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' }), 400, 'ERR_MALFORMED_JSON');
    const bad = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
    await expectProblem(await app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: bad }), 400, 'ERR_MALFORMED_BODY');
    await expectProblem(await app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: new Uint8Array([0xff, 0xfe]) }), 400, 'ERR_MALFORMED_BODY');
  });

  it('refuses JSON nested deeper than any credential with ERR_JSON_TOO_DEEP', async () => {
    const { app } = makeApp();
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    await expectProblem(await app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep }), 400, 'ERR_JSON_TOO_DEEP');
  });

  it('answers a wrong or missing media type with ERR_UNSUPPORTED_MEDIA_TYPE', async () => {
    const { app } = makeApp();
    await expectProblem(await app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'text/html' }, body: '<p>' }), 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
    await expectProblem(await app.request('/v1/verify', { method: 'POST', body: new Uint8Array([0x7b, 0x7d]) }), 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
    await expectProblem(await app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json; charset=latin1' }, body: '{}' }), 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a verifier that throws with ERR_VERIFIER_FAILED and keeps its message out of the answer', async () => {
    const { app, unexpected } = makeApp();
    const body = await expectProblem(await postJson(app, '/v1/verify', credentialFor('throw')), 500, 'ERR_VERIFIER_FAILED');
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(unexpected).toHaveLength(1);
  });
});

describe('body limit', () => {
  it('refuses a body above the limit by its Content-Length, before reading it', async () => {
    const { app, verifier } = makeApp({ bodyLimitBytes: 1024 });
    const big = JSON.stringify({ ...credentialFor('valid'), padding: 'x'.repeat(2000) });
    const body = await expectProblem(await postJson(app, '/v1/verify', JSON.parse(big)), 413, 'ERR_BODY_TOO_LARGE');
    expect(body.maxBytes).toBe(1024);
    expect(verifier.calls).toEqual([]);
  });

  it('counts the stream itself when there is no Content-Length (chunked upload)', async () => {
    const { app, verifier } = makeApp({ bodyLimitBytes: 1024 });
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls > 100) controller.close(); // bounded: 100 × 100 bytes, far past the limit
        else controller.enqueue(new TextEncoder().encode(' '.repeat(100)));
      },
    });
    const request = new Request('http://localhost/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' });
    await expectProblem(await app.request(request), 413, 'ERR_BODY_TOO_LARGE');
    expect(pulls).toBeLessThan(100);
    expect(verifier.calls).toEqual([]);
  });

  it('accepts a body exactly at the limit', async () => {
    const { app } = makeApp({ bodyLimitBytes: 64 });
    const text = JSON.stringify({ id: 'urn:scenario:valid', pad: '' });
    const exact = JSON.stringify({ id: 'urn:scenario:valid', pad: 'x'.repeat(64 - text.length) });
    expect(exact.length).toBe(64);
    expect((await app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: exact })).status).toBe(200);
  });

  it('rejects a bad limit when the app is created', () => {
    expectOptionsError(() => createVerifierApp({ verifier: new StandInVerifier(), bodyLimitBytes: 0 }));
    expectOptionsError(() => bodyLimit({ maxBytes: 1.5 }));
  });
});

describe('rate limit', () => {
  it('allows max requests per window, then answers ERR_RATE_LIMITED with Retry-After, and refills as the clock moves', async () => {
    let nowMs = Date.parse('2026-01-01T00:00:00Z');
    const { app } = makeApp({ rateLimit: { windowMs: 60_000, max: 3 }, now: () => new Date(nowMs) });
    for (let i = 0; i < 3; i++) expect((await postJson(app, '/v1/verify', credentialFor('valid'))).status).toBe(200);
    const limited = await postJson(app, '/v1/verify', credentialFor('valid'));
    const body = await expectProblem(limited, 429, 'ERR_RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toBe('20'); // one token refills in 60 s / 3
    expect(body.retryAfterSeconds).toBe(20);
    nowMs += 19_000;
    expect((await postJson(app, '/credentials/verify', { verifiableCredential: credentialFor('valid') })).status).toBe(429);
    nowMs += 1_000;
    expect((await postJson(app, '/credentials/verify', { verifiableCredential: credentialFor('valid') })).status).toBe(200);
    expect((await app.request('/healthz')).status).toBe(200); // health and page are not limited
  });

  it('keeps one bucket per client and evicts the least recently used past maxClients', async () => {
    const nowMs = 0;
    const app = new Hono();
    app.onError(problemErrorHandler({ onUnexpected: () => undefined }));
    app.use(rateLimit({ windowMs: 1000, max: 1, maxClients: 2, now: () => new Date(nowMs), key: (c) => c.req.header('x-client') ?? '' }));
    app.get('/', (c) => c.text('ok'));
    const hit = (client: string) => Promise.resolve(app.request('/', { headers: { 'x-client': client } })).then((r) => r.status);
    expect(await hit('a')).toBe(200);
    expect(await hit('b')).toBe(200);
    expect(await hit('a')).toBe(429);
    expect(await hit('b')).toBe(429);
    expect(await hit('c')).toBe(200); // evicts a (least recently used)
    expect(await hit('b')).toBe(429); // b is still tracked
    expect(await hit('a')).toBe(200); // a was evicted, so it starts with a full bucket
  });

  it('does not mint tokens when the clock steps backwards', async () => {
    let nowMs = 100_000;
    const app = new Hono();
    app.onError(problemErrorHandler({ onUnexpected: () => undefined }));
    app.use(rateLimit({ windowMs: 1000, max: 1, now: () => new Date(nowMs) }));
    app.get('/', (c) => c.text('ok'));
    expect((await app.request('/')).status).toBe(200);
    nowMs -= 50_000;
    expect((await app.request('/')).status).toBe(429);
  });

  it('keys buckets by the remote address over real HTTP', async () => {
    const server = await listen(createVerifierApp({ verifier: new StandInVerifier(), rateLimit: { windowMs: 3_600_000, max: 2 } }));
    try {
      const post = () =>
        fetch(`${server.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentialFor('valid')) });
      expect((await post()).status).toBe(200);
      expect((await post()).status).toBe(200);
      const limited = await post();
      expect(limited.status).toBe(429);
      expect((await json(limited)).code).toBe('ERR_RATE_LIMITED');
    } finally {
      await server.close();
    }
  });

  it('rejects bad options when created', () => {
    expectOptionsError(() => rateLimit({ windowMs: 0, max: 1 }));
    expectOptionsError(() => rateLimit({ windowMs: 1000, max: -1 }));
    expectOptionsError(() => createVerifierApp({ verifier: new StandInVerifier(), rateLimit: { windowMs: 1000, max: 0.5 } }));
  });
});

describe('CORS', () => {
  it('answers a preflight from any origin by default, without credentials', async () => {
    const { app } = makeApp();
    const response = await app.request('/v1/verify', {
      method: 'OPTIONS',
      headers: { origin: 'https://employer.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows only the configured origins', async () => {
    const { app } = makeApp({ cors: { origins: ['https://hr.example'] } });
    const allowed = await postJson(app, '/v1/verify', credentialFor('valid'), { origin: 'https://hr.example' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://hr.example');
    const other = await postJson(app, '/v1/verify', credentialFor('valid'), { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rejects an origin with a path when created', () => {
    expectOptionsError(() => apiCors({ origins: ['https://hr.example/path'] }));
    expectOptionsError(() => apiCors({ origins: [] }));
    expectOptionsError(() => apiCors({ origins: ['ftp://hr.example'] }));
  });
});

describe('VC-API', () => {
  it('POST /credentials/verify maps a valid outcome to verified: true with the checks and our full report', async () => {
    const { app } = makeApp();
    const response = await postJson(app, '/credentials/verify', { verifiableCredential: credentialFor('valid'), options: { anything: 1 } });
    expect(response.status).toBe(200);
    const result = await json(response);
    expect(result.verified).toBe(true);
    expect(result.checks).toEqual(['parse', 'schema', 'signature', 'issuer-key', 'validity-period', 'anchor', 'accredited-issuer', 'revocation']);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.problemDetails).toEqual([]);
    expect(result.verificationReport.verdict).toBe('valid');
  });

  it('POST /credentials/verify maps a failed signature to verified: false with a VC DM problem', async () => {
    const { app } = makeApp();
    const result = await json(postJson(app, '/credentials/verify', { verifiableCredential: credentialFor('invalid') }));
    expect(result.verified).toBe(false);
    expect(result.problemDetails).toEqual([
      expect.objectContaining({ type: 'https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR', code: 'SIGNATURE_INVALID', check: 'signature' }),
    ]);
    expect(result.errors).toHaveLength(1);
  });

  it('POST /credentials/verify reports could-not-check as warnings and problems, not as errors', async () => {
    const { app } = makeApp();
    const result = await json(postJson(app, '/credentials/verify', { verifiableCredential: credentialFor('indeterminate') }));
    expect(result.verified).toBe(false);
    expect(result.errors).toEqual([]);
    expect(result.warnings.length).toBeGreaterThan(0);
    expect(result.problemDetails.map((p: { code: string }) => p.code)).toContain('ANCHOR_RPC_UNREACHABLE');
    expect(result.verificationReport.verdict).toBe('indeterminate');
  });

  it('POST /credentials/verify never leaves a result without a reason: a pending anchor is a problem and a warning', async () => {
    const { app } = makeApp();
    const result = await json(postJson(app, '/credentials/verify', { verifiableCredential: credentialFor('pending-anchor') }));
    expect(result.verified).toBe(false);
    expect(result.verificationReport.reasons.length).toBeGreaterThan(0);
    expect(result.problemDetails.map((p: { code: string }) => p.code)).toContain('ANCHOR_PENDING');
    expect(result.warnings).toContain('pending-anchor');
  });

  it('POST /credentials/verify accepts a JWS string as verifiableCredential', async () => {
    const { app, verifier } = makeApp();
    expect((await postJson(app, '/credentials/verify', { verifiableCredential: SAMPLE_JWS })).status).toBe(200);
    expect(verifier.calls[0]!.input).toBe(SAMPLE_JWS);
  });

  it('POST /presentations/verify passes challenge and domain, answers per credential, and echoes on returnPresentation', async () => {
    const { app, verifier } = makeApp();
    const presentation = { type: ['VerifiablePresentation'], verifiableCredential: [credentialFor('valid'), credentialFor('suspended')] };
    const response = await postJson(app, '/presentations/verify', {
      verifiablePresentation: presentation,
      options: { challenge: 'c-1', domain: 'hr.example', returnPresentation: true },
    });
    expect(response.status).toBe(200);
    const result = await json(response);
    expect(result.verified).toBe(false);
    expect(result.credentialResults.map((r: { verified: boolean }) => r.verified)).toEqual([true, false]);
    expect(result.credentialResults[1].warnings).toContain('suspended');
    expect(result.verifiablePresentation).toEqual(presentation);
    expect(verifier.calls[0]!.options).toEqual({ challenge: 'c-1', domain: 'hr.example' });
    const quiet = await json(postJson(app, '/presentations/verify', { verifiablePresentation: presentation }));
    expect(quiet).not.toHaveProperty('verifiablePresentation');
  });

  it('answers a body that is not a VC-API request with 400 problem details', async () => {
    const { app, verifier } = makeApp();
    await expectProblem(await postJson(app, '/credentials/verify', credentialFor('valid')), 400, 'ERR_INVALID_REQUEST');
    await expectProblem(await postJson(app, '/credentials/verify', { verifiableCredential: 3 }), 400, 'ERR_INVALID_REQUEST');
    await expectProblem(await postJson(app, '/credentials/verify', { verifiableCredential: {}, options: 'x' }), 400, 'ERR_INVALID_REQUEST');
    await expectProblem(await postJson(app, '/presentations/verify', { presentation: {} }), 400, 'ERR_INVALID_REQUEST');
    await expectProblem(await postJson(app, '/presentations/verify', { verifiablePresentation: {}, options: { challenge: 1 } }), 400, 'ERR_INVALID_REQUEST');
    await expectProblem(
      await app.request('/credentials/verify', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: SAMPLE_JWS }),
      415,
      'ERR_UNSUPPORTED_MEDIA_TYPE',
    );
    expect(verifier.calls).toEqual([]);
  });
});

describe('other routes and errors', () => {
  it('GET /healthz answers ok', async () => {
    const { app } = makeApp();
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: 'ok' });
  });

  it('serves the page and its assets with a strict Content-Security-Policy and no inline script', async () => {
    const { app } = makeApp();
    const page = await app.request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    for (const [path, type] of [['/assets/verify.js', 'text/javascript'], ['/assets/verify.css', 'text/css'], ['/assets/icon.svg', 'image/svg+xml']] as const) {
      const asset = await app.request(path);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain(type);
    }
    const script = await (await app.request('/assets/verify.js')).text();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });

  it('answers unknown paths with ERR_NOT_FOUND, and never reads files outside the page', async () => {
    const { app } = makeApp();
    await expectProblem(await app.request('/nope'), 404, 'ERR_NOT_FOUND');
    await expectProblem(await app.request('/assets/../verifier-app.ts'), 404, 'ERR_NOT_FOUND');
    await expectProblem(await app.request('/assets/index.html'), 404, 'ERR_NOT_FOUND');
  });

  it('answers a known path with the wrong method with ERR_METHOD_NOT_ALLOWED and an Allow header', async () => {
    const { app } = makeApp();
    const response = await app.request('/v1/verify');
    const body = await expectProblem(response, 405, 'ERR_METHOD_NOT_ALLOWED');
    expect(response.headers.get('allow')).toBe('POST');
    expect(body.allow).toEqual(['POST']);
    const put = await app.request('/healthz', { method: 'PUT' });
    await expectProblem(put, 405, 'ERR_METHOD_NOT_ALLOWED');
    expect(put.headers.get('allow')).toBe('GET, HEAD');
  });

  it('maps errors of other modules through statusByCode, and anything else to ERR_INTERNAL without details', async () => {
    const app = new Hono();
    const seen: unknown[] = [];
    app.onError(problemErrorHandler({ statusByCode: { ERR_CREDENTIAL_NOT_FOUND: 404 }, onUnexpected: (e) => seen.push(e) }));
    app.get('/known', () => {
      throw new MicrocredError('ERR_CREDENTIAL_NOT_FOUND', 'No credential has that id.', { details: { id: 'urn:uuid:1' } });
    });
    app.get('/problem', () => {
      throw new ProblemError('ERR_INVALID_REQUEST', 'Say what.');
    });
    app.get('/bug', () => {
      throw new TypeError('private detail at /srv/app.ts:3');
    });
    const known = await json(app.request('/known'));
    expect(known).toMatchObject({ status: 404, code: 'ERR_CREDENTIAL_NOT_FOUND', detail: 'No credential has that id.', id: 'urn:uuid:1' });
    await expectProblem(await app.request('/problem'), 400, 'ERR_INVALID_REQUEST');
    const bug = await expectProblem(await app.request('/bug'), 500, 'ERR_INTERNAL');
    expect(JSON.stringify(bug)).not.toContain('private');
    expect(seen).toHaveLength(1);
    expectOptionsError(() => problemErrorHandler({ statusByCode: { ERR_X: 200 } }));
  });
});

describe('hostile bodies never produce a 5xx', () => {
  const ROUTES = ['/v1/verify', '/credentials/verify', '/presentations/verify'];
  const { app, unexpected } = makeApp({ bodyLimitBytes: 64 * 1024 });
  const send = (path: string, body: string | Uint8Array, type = 'application/json') =>
    app.request(path, { method: 'POST', headers: { 'content-type': type }, body });

  function assertNo5xx(status: number) {
    expect(status).toBeLessThan(500);
    expect(status === 200 || (status >= 400 && status < 500)).toBe(true);
  }

  it('random JSON values, also wrapped as each request shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.jsonValue(), fc.constantFrom('bare', 'credential', 'verifiableCredential', 'verifiablePresentation'), async (path, value, wrap) => {
        const body = wrap === 'bare' ? value : { [wrap]: value, options: value };
        assertNo5xx((await send(path, JSON.stringify(body))).status);
      }),
      { numRuns: 300 },
    );
    expect(unexpected).toEqual([]);
  });

  it('objects with __proto__, constructor and prototype keys', async () => {
    const keys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'verifiableCredential', 'options', 'credential', '@context', 'type', 'id');
    const hostile = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), fc.dictionary(keys, tie('node'), { maxKeys: 4 })),
    })).node;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), hostile, async (path, value) => {
        // JSON.stringify drops a real __proto__ key of an object literal, so also write the keys in by hand.
        const text = JSON.stringify(value).replace(/^\{/, '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},').replace(/,\}$/, '}');
        assertNo5xx((await send(path, text)).status);
        assertNo5xx((await send(path, JSON.stringify(value))).status);
      }),
      { numRuns: 200 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(unexpected).toEqual([]);
  });

  it('deep nesting, huge strings, and random bytes with random media types', async () => {
    const deep = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":', '{"verifiableCredential":')).map(([n, open]) => open.repeat(n));
    const huge = fc.integer({ min: 0, max: 100_000 }).map((n) => JSON.stringify({ verifiableCredential: 'x'.repeat(n) }));
    const bytes = fc.uint8Array({ maxLength: 2048 });
    const type = fc.constantFrom('application/json', 'text/plain', 'application/vc+jwt', 'application/vc', 'application/octet-stream', 'multipart/form-data', '', 'application/json; charset=utf-16');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.oneof(deep, huge, bytes), type, async (path, body, mediaType) => {
        assertNo5xx((await send(path, body, mediaType)).status);
      }),
      { numRuns: 200 },
    );
    expect(unexpected).toEqual([]);
  });
});
