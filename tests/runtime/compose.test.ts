// The composed app: issuer paths come from the issuer app's own routes, so a new issuer route is served through it.
import { describe, expect, it } from 'vitest';
import { combineApps } from '../../src/runtime/compose';
import { createVerifierApp } from '../../src/server/verifier-app';
import { issuerFixture } from '../issuer/fixture';
import { StandInVerifier } from '../server/stand-in-verifier';

function composed() {
  const f = issuerFixture();
  const verifier = createVerifierApp({ verifier: new StandInVerifier(), rateLimit: false });
  return { f, verifier };
}

describe('combineApps', () => {
  it('serves a route added to the issuer app, which no list names', async () => {
    const { f, verifier } = composed();
    f.app.get('/v1/reports/:id', (c) => c.json({ from: 'issuer', id: c.req.param('id') }));
    const app = combineApps({ issuer: f.app, verifier });
    const response = await app.request('/v1/reports/42');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ from: 'issuer', id: '42' });
    // Without the route the same path is the verifier's 404.
    const other = composed();
    const before = await combineApps({ issuer: other.f.app, verifier: other.verifier }).request('/v1/reports/42');
    expect(before.status).toBe(404);
    expect((await verifier.request('/v1/reports/42')).status).toBe(404);
  });

  it('sends issuer paths (any method) to the issuer and the rest to the verifier', async () => {
    const { f, verifier } = composed();
    const app = combineApps({ issuer: f.app, verifier });
    // Issuer routes: bearer auth answers before anything else, so 401 shows the issuer app took the request.
    expect((await app.request('/v1/credentials', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await app.request('/v1/credentials/urn:uuid:x/revoke', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await app.request('/healthz')).status).toBe(200);
    // A wrong method on an issuer path is the issuer's own 405, not the verifier's 404.
    const wrong = await app.request('/healthz', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('GET');
    // The verifier keeps its own paths, and unknown paths get its 404.
    const verified = await app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential: { id: 'urn:scenario:valid' } }) });
    expect(verified.status).toBe(200);
    expect((await app.request('/no/such/path')).status).toBe(404);
  });

  it('serves the catalog’s public badge images through the issuer app, with their own headers', async () => {
    const { f, verifier } = composed();
    const app = combineApps({ issuer: f.app, verifier });
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';
    const image = f.service.catalog!.uploadImage(Buffer.from(svg));
    const served = await app.request(new URL(image.url).pathname);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/svg+xml');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await served.text()).toBe(svg);
  });
});
