// Share links over HTTP without a listening server: the issuer API's share and certificate routes (tokens, scopes,
// OpenAPI) and the public /c/{id} app (one 404 for unknown and disabled, no indexing, no referrer, not ready yet).
import { describe, expect, it } from 'vitest';
import { encodeAnchorProof } from '../../src/anchoring/anchor-proof';
import { buildTree } from '../../src/anchoring/merkle';
import { credentialFromPdf } from '../../src/delivery';
import { anchoredText, createShareService } from '../../src/issuer';
import { createIssuerApp, createShareApp } from '../../src/server';
import { expectProblem } from '../helpers/errors';
import { issuerFixture, record } from '../issuer/fixture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary members of the answer
type Any = any;
const BASE = 'https://credentials.example.edu';

function setup() {
  const f = issuerFixture();
  const share = createShareService({ store: f.store, baseUrl: () => `${BASE}/`, now: f.now });
  const app = createIssuerApp({ service: f.service, store: f.store, share, now: f.now });
  const shareApp = createShareApp({ share });
  const call = (method: string, path: string, token?: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const issue = async (): Promise<Any> => (await (await call('POST', '/v1/credentials', f.tokens.issue, record())).json()) as Any;
  const anchor = (batchId: number, ids: string[]) => {
    const sealed = f.store.sealBatch(batchId, (leaves) => buildTree(leaves).root);
    const tx = `0x${'ab'.repeat(32)}`;
    f.store.markSubmitted(sealed.batch.id, { txHash: tx, nonce: 0 });
    const tree = buildTree(f.store.leavesOf(sealed.batch.id));
    const proofs = new Map(
      f.store.credentialLeavesOf(sealed.batch.id).filter((c) => ids.includes(c.id)).map((c) => [
        c.id,
        JSON.stringify(encodeAnchorProof({ chain: 'eip155:31337', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', root: sealed.batch.root!, path: tree.proof(c.leaf), transaction: tx, block: 2 }, '2025-03-01T10:00:05Z')),
      ]),
    );
    f.store.markAnchored(sealed.batch.id, { blockNumber: 2, anchoredAt: f.now(), txHash: tx }, proofs);
  };
  return { f, share, app, shareApp, call, issue, anchor };
}

describe('issuer API: share links and certificates', () => {
  it('GET /v1/credentials/{id} answers with the share link and LinkedIn URL; GET …/share gives the same link', async () => {
    const { call, issue, f } = setup();
    const issued = await issue();
    const view = (await (await call('GET', `/v1/credentials/${encodeURIComponent(issued.id)}`, f.tokens.issue)).json()) as Any;
    expect(view.share).toMatchObject({ credentialId: issued.id, enabled: true, ready: false });
    expect(view.share.url).toMatch(/^https:\/\/credentials\.example\.edu\/c\/[A-Za-z0-9_-]{22}$/);
    const linkedin = new URL(view.share.linkedinUrl);
    expect(Object.fromEntries(linkedin.searchParams)).toMatchObject({
      startTask: 'CERTIFICATION_NAME',
      name: 'Advanced Cardiac Life Support',
      organizationName: 'Example Medical School',
      issueYear: '2025',
      issueMonth: '3',
      certUrl: view.share.url,
      certId: issued.id,
    });
    const again = (await (await call('GET', `/v1/credentials/${issued.id.slice('urn:uuid:'.length)}/share`, f.tokens.issue)).json()) as Any;
    expect(again).toEqual(view.share);
  });

  it('DELETE …/share disables and POST …/share re-enables, with the status scope only', async () => {
    const { call, issue, f } = setup();
    const issued = await issue();
    const path = `/v1/credentials/${encodeURIComponent(issued.id)}/share`;
    await expectProblem(await call('DELETE', path), 401, 'ERR_UNAUTHENTICATED');
    await expectProblem(await call('DELETE', path, f.tokens.issue), 403, 'ERR_FORBIDDEN');
    const off = (await (await call('DELETE', path, f.tokens.status)).json()) as Any;
    expect(off.enabled).toBe(false);
    const on = (await (await call('POST', path, f.tokens.status)).json()) as Any;
    expect(on).toMatchObject({ enabled: true, shareId: off.shareId });
    await expectProblem(await call('GET', '/v1/credentials/urn%3Auuid%3A00000000-0000-4000-8000-000000000000/share', f.tokens.issue), 404, 'ERR_CREDENTIAL_NOT_FOUND');
  });

  it('certificate.pdf is 409 before anchoring; afterwards it carries the anchored credential; POST /v1/certificates does a cohort', async () => {
    const { call, issue, anchor, f } = setup();
    const a = await issue();
    const b = await issue();
    await expectProblem(await call('GET', `/v1/credentials/${encodeURIComponent(a.id)}/certificate.pdf`, f.tokens.issue), 409, 'ERR_CREDENTIAL_NOT_ANCHORED');
    anchor(a.batchId, [a.id, b.id]);
    const response = await call('GET', `/v1/credentials/${encodeURIComponent(a.id)}/certificate.pdf`, f.tokens.issue);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(await credentialFromPdf(new Uint8Array(await response.arrayBuffer()))).toBe(anchoredText(f.store.getCredential(a.id)!));
    const c = await issue();
    const cohort = (await (await call('POST', '/v1/certificates', f.tokens.issue, { credentialIds: [a.id, b.id, c.id, 'urn:uuid:00000000-0000-4000-8000-000000000000'] })).json()) as Any;
    expect(cohort.items.map((i: Any) => String(i.status))).toEqual(['ready', 'ready', 'not_anchored', 'not_found']);
    expect(await credentialFromPdf(Buffer.from(cohort.items[1].pdf, 'base64'))).toBe(anchoredText(f.store.getCredential(b.id)!));
    const byBatch = (await (await call('POST', '/v1/certificates', f.tokens.issue, { batchId: a.batchId })).json()) as Any;
    expect(byBatch.items.map((i: Any) => String(i.credentialId))).toEqual([a.id, b.id]);
    await expectProblem(await call('POST', '/v1/certificates', f.tokens.issue, { credentialIds: [] }), 400, 'ERR_INVALID_REQUEST');
  });

  it('a generic VC-API credential (no achievement) has a share link but no LinkedIn link and no certificate', async () => {
    const { call, anchor, shareApp, share, f } = setup();
    const credential = { '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'], type: ['VerifiableCredential', 'ExampleAlumniCredential'], issuer: f.service.issuer.did, credentialSubject: { id: 'did:example:ada', alumniOf: 'Example University' } };
    const issued = (await (await call('POST', '/credentials/issue', f.tokens.issue, { credential })).json()) as Any;
    const id = String(issued.verifiableCredential.id);
    const view = (await (await call('GET', `/v1/credentials/${encodeURIComponent(id)}`, f.tokens.issue)).json()) as Any;
    expect(view.share).toMatchObject({ enabled: true, linkedinUrl: null });
    anchor(view.batchId, [id]);
    await expectProblem(await call('GET', `/v1/credentials/${encodeURIComponent(id)}/certificate.pdf`, f.tokens.issue), 422, 'ERR_CERTIFICATE_CREDENTIAL');
    const cohort = (await (await call('POST', '/v1/certificates', f.tokens.issue, { credentialIds: [id] })).json()) as Any;
    expect(cohort.items).toEqual([{ credentialId: id, status: 'not_a_badge' }]);
    const shareId = share.info(id, 'test').shareId;
    const page = await shareApp.request(`/c/${shareId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('certificate.pdf');
    expect((await shareApp.request(`/c/${shareId}/credential.json`)).status).toBe(200);
    expect((await shareApp.request(`/c/${shareId}/certificate.pdf`)).status).toBe(404);
  });

  it('the OpenAPI document lists the share and certificate routes, and they match the app', async () => {
    const { app, call } = setup();
    const doc = (await (await call('GET', '/openapi.json')).json()) as Any;
    const routes = Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    for (const r of ['GET /v1/credentials/{id}/share', 'POST /v1/credentials/{id}/share', 'DELETE /v1/credentials/{id}/share', 'GET /v1/credentials/{id}/certificate.pdf', 'POST /v1/certificates']) expect(routes).toContain(r);
    const appRoutes = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`));
    for (const r of routes) expect(appRoutes.has(r), r).toBe(true);
    expect(doc.components.schemas.ShareInfo).toBeDefined();
  });
});

describe('public share app', () => {
  it('unknown, malformed and disabled links get the very same 404, with noindex and no-referrer', async () => {
    const { share, shareApp, issue, anchor } = setup();
    const a = await issue();
    anchor(a.batchId, [a.id]);
    const shareId = share.info(a.id, 'test').shareId;
    const open = await shareApp.request(`/c/${shareId}`);
    expect(open.status).toBe(200);
    const html = await open.text();
    expect(html).toContain(`<meta name="microcred-share" content="/c/${shareId}/credential.json">`);
    expect(html).toContain('Add to LinkedIn profile');
    share.setEnabled(a.id, false, 'test');
    const answers = await Promise.all([`/c/${shareId}`, `/c/${shareId}/badge.png`, `/c/${'B'.repeat(22)}`, '/c/%3Cscript%3E', `/c/${shareId}/../../etc/passwd`].map((p) => Promise.resolve(shareApp.request(p))));
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(new Set(bodies).size).toBe(1);
    for (const r of answers) {
      expect(r.headers.get('x-robots-tag')).toContain('noindex');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('a pending credential: the page says not ready yet and the files answer 409', async () => {
    const { share, shareApp, issue } = setup();
    const a = await issue();
    const shareId = share.info(a.id, 'test').shareId;
    const page = await shareApp.request(`/c/${shareId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('not ready yet');
    expect((await shareApp.request(`/c/${shareId}/credential.json`)).status).toBe(409);
    expect((await shareApp.request(`/c/${shareId}/other.txt`)).status).toBe(404);
  });
});
