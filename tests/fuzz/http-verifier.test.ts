// Hostile input against the REAL verifier app (real verifier, real dev chain on loopback): never a 5xx, hang or request.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../src/server/middleware/body-limit';
import { CONTENT_TYPES, INVALID_UTF8, anythingAsJson, contextTricks, credentialShapedJunk, nastyJson, nastyJsonTexts } from './corpus';
import { expectSafeAnswer, prototypeClean } from './http-checks';
import { useFuzzSystem } from './system';

const env = useFuzzSystem();

/** Context tricks that leave every term's meaning as it was (all terms are defined and protected already). */
const GRAPH_PRESERVING = new Set(['@vocab injection', 'context with __proto__']);

const VERIFY_ROUTES = ['/v1/verify', '/credentials/verify', '/presentations/verify'] as const;

function post(path: string, body: NonNullable<RequestInit['body']>, contentType?: string): Promise<Response> {
  return Promise.resolve(env.sys.verifierApp.request(path, { method: 'POST', ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }), body }));
}

describe('the verifier API under hostile input (real verifier)', () => {
  it('the sample credentials verify as valid through the app, so the junk below is judged by a working verifier', async () => {
    for (const credential of [env.sys.validDi, env.sys.validJoseEnvelope]) {
      const answer = await expectSafeAnswer('valid sample', () => post('/v1/verify', JSON.stringify(credential), 'application/json'));
      expect(answer.status).toBe(200);
      expect(answer.json.verdict).toBe('valid');
    }
  });

  it('generated JSON bodies on every verify route: never a 5xx, problem+json for every 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VERIFY_ROUTES), fc.oneof(nastyJson.map((v) => JSON.stringify(v) ?? 'null'), anythingAsJson), async (route, text) => {
        await expectSafeAnswer(`${route} ${text.slice(0, 120)}`, () => post(route, text, 'application/json'));
      }),
      { numRuns: 150, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('credential-shaped junk gets a verdict that is never valid, in every wrapper', async () => {
    await fc.assert(
      fc.asyncProperty(credentialShapedJunk, fc.constantFrom('bare', 'credential', 'vcapi', 'presentation'), async (junk, wrap) => {
        const route = wrap === 'vcapi' ? '/credentials/verify' : '/v1/verify';
        const body =
          wrap === 'bare'
            ? junk
            : wrap === 'credential'
              ? { credential: junk }
              : wrap === 'vcapi'
                ? { verifiableCredential: junk }
                : { verifiablePresentation: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'VerifiablePresentation', verifiableCredential: [junk] } };
        const answer = await expectSafeAnswer(`${wrap} junk`, () => post(route, JSON.stringify(body), 'application/json'));
        // The VC-API answers a credential that does not verify with 400/422 (still carrying verified: false); /v1 with 200.
        if (wrap === 'vcapi') expect([400, 422]).toContain(answer.status);
        else expect(answer.status).toBe(200);
        const verdict = wrap === 'vcapi' ? (answer.json.verified === true ? 'valid' : 'not valid') : answer.json.verdict;
        expect(verdict).not.toBe('valid');
      }),
      { numRuns: 80, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('the nasty JSON corpus: deep nesting, huge numbers and strings, prototype keys, lone surrogates', async () => {
    for (const route of VERIFY_ROUTES) {
      for (const text of nastyJsonTexts()) {
        const answer = await expectSafeAnswer(`${route} ${text.slice(0, 60)}`, () => post(route, text, 'application/json'));
        if (answer.status === 200 && route !== '/presentations/verify') expect(answer.json.verdict ?? answer.json.verified).not.toBe('valid');
      }
    }
    expect(prototypeClean()).toBe(true);
  });

  it('JSON-LD @context tricks on the signed credential: never valid, never fetched, a context or signature code', async () => {
    for (const trick of contextTricks(env.sys.validDi['@context'])) {
      const body = JSON.stringify({ ...env.sys.validDi, '@context': trick.context });
      const answer = await expectSafeAnswer(trick.name, () => post('/v1/verify', body, 'application/json'));
      expect(answer.status, trick.name).toBe(200);
      expect(answer.json.verdict, trick.name).not.toBe('valid');
      const signature = answer.json.checks.find((c: { check: string }) => c.check === 'signature');
      if (GRAPH_PRESERVING.has(trick.name)) {
        // The RDF graph is unchanged, so the signature rightly holds; the anchor's JCS leaf refuses the changed JSON.
        expect(answer.json.checks.find((c: { check: string }) => c.check === 'anchor').code).toBe('ANCHOR_PATH_MISMATCH');
      } else if (signature.status === 'error') {
        expect(signature.data.cause, trick.name).toMatch(/^ERR_CONTEXT_NOT_BUNDLED$|^ERR_DID_WEB_ADDRESS_BLOCKED$/);
      } else {
        expect(signature.status, trick.name).toBe('failed');
        expect(signature.code, trick.name).toMatch(/^SIGNATURE_/);
      }
    }
    expect(env.trap.attempts).toEqual([]);
  });

  it('bytes that are not UTF-8, under every media type, are refused with a 4xx', async () => {
    for (const route of VERIFY_ROUTES) {
      for (const bytes of INVALID_UTF8) {
        for (const type of ['application/json', 'text/plain', 'application/vc+jwt']) {
          const answer = await expectSafeAnswer(`${route} ${type} ${Buffer.from(bytes).toString('hex')}`, () => post(route, bytes, type));
          expect(answer.status).toBeGreaterThanOrEqual(400);
        }
      }
    }
  });

  it('wrong, odd and missing media types', async () => {
    for (const route of VERIFY_ROUTES) {
      for (const type of [...CONTENT_TYPES, undefined]) {
        await expectSafeAnswer(`${route} as ${String(type)}`, () => post(route, JSON.stringify(env.sys.validDi), type));
      }
    }
  });

  it('a body one byte over the limit is 413, whether or not Content-Length says so; at the limit it is read', async () => {
    const over = new Uint8Array(DEFAULT_BODY_LIMIT_BYTES + 1).fill(0x20);
    for (const route of VERIFY_ROUTES) {
      const declared = await expectSafeAnswer(`${route} over the limit`, () => post(route, over, 'application/json'));
      expect(declared.status).toBe(413);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 5; i++) controller.enqueue(over.subarray(0, Math.ceil(over.length / 5)));
          controller.close();
        },
      });
      const streamed = await expectSafeAnswer(`${route} streamed over the limit`, () =>
        env.sys.verifierApp.request(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' }),
      );
      expect(streamed.status).toBe(413);
    }
    const atLimit = `"${'A'.repeat(DEFAULT_BODY_LIMIT_BYTES - 2)}"`;
    const read = await expectSafeAnswer('at the limit', () => post('/v1/verify', atLimit, 'application/json'));
    expect(read.status).toBe(200);
    expect(read.json.verdict).toBe('invalid');
  });

  it('generated methods and paths, including the page routes, never give a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
        fc.oneof(fc.constantFrom('/', '/healthz', '/assets/verify.js', '/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/v1/verify', '/credentials/verify', '/presentations/verify', '/%', '/%E0%A4%A', '/v1/verify/%00'), fc.webPath()),
        async (method, path) => {
          await expectSafeAnswer(`${method} ${path}`, () => env.sys.verifierApp.request(path, { method, headers: { origin: 'https://evil.example' } }), method);
        },
      ),
      { numRuns: 120, interruptAfterTimeLimit: 10_000 },
    );
  });

  it('made no outbound request and left Object.prototype clean', () => {
    expect(env.trap.attempts).toEqual([]);
    expect(prototypeClean()).toBe(true);
    expect(env.sys.unexpected).toEqual([]);
  });
});
