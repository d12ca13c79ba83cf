// The whole system's delivery: anchored credentials reach the local mail catcher and a real webhook receiver once.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { startSystem, type RunningSystem } from '../../src/runtime';
import { freePort } from '../helpers/free-port';
import { sampleRecord } from '../helpers/records';
import { startReceiver } from '../delivery/outbox-fixture';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const LEARNERS = [
  { name: 'Ada Lovelace', email: 'ada@example.org' },
  { name: 'Grace Hopper', email: 'grace@example.org' },
];

async function start(dataDir: string, webhookUrl: string): Promise<RunningSystem> {
  const config = loadConfig({
    env: {},
    overrides: { dataDir, port: 0, chain: { embeddedPort: await freePort() }, batch: { maxAgeSeconds: 3600 }, delivery: { webhook: { url: webhookUrl, secret: SECRET } } },
  });
  const system = await startSystem({ config });
  closers.push(() => system.stop());
  return system;
}

async function text(url: string): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

describe('delivery in the embedded default', () => {
  it('emails each anchored credential to the catcher (shown on /dev/mail) and posts one signed webhook each, once across a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-delivery-'));
    closers.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const receiver = await startReceiver(() => 204);
    closers.push(() => receiver.close());
    const dataDir = path.join(dir, 'data');
    const system = await start(dataDir, receiver.url);
    const issuer = system.issuer!;
    expect(issuer.mailCatcher).toBeDefined();

    const ids: string[] = [];
    for (const learner of LEARNERS) ids.push((await issuer.service.issue(sampleRecord({ learner }), { format: 'di', actor: 'test' })).credentialId);
    await issuer.anchorer.anchorNow();
    // Runs after any run the worker's own timer started, so every due job has been sent when it resolves.
    await issuer.delivery.runOnce();

    const list = await text(`${system.url}/dev/mail`);
    expect(list.status).toBe(200);
    expect(list.headers.get('content-security-policy')).toContain("default-src 'none'");
    for (const learner of LEARNERS) expect(list.body).toContain(learner.email);
    const caught = await issuer.mailCatcher!.list();
    expect(caught).toHaveLength(2);

    // The page shows a message and serves its attachments; the emailed credential verifies valid on this system.
    const message = await text(`${system.url}/dev/mail/${caught[0]!.id}`);
    expect(message.body).toContain('Your credential: Advanced Cardiac Life Support');
    const mail = await issuer.mailCatcher!.get(caught[0]!.id);
    const jsonIndex = mail!.attachments.findIndex((a) => a.contentType === 'application/json');
    const download = await fetch(`${system.url}/dev/mail/${caught[0]!.id}/attachments/${jsonIndex}`);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.json"$/);
    const credential = (await download.json()) as Record<string, unknown>;
    const verdict = (await (await fetch(`${system.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credential) })).json()) as { verdict: string };
    expect(verdict.verdict).toBe('valid');
    // The message carries the credential's share link (which serves this very credential) and a wallet offer.
    const shareLink = new RegExp(`${system.url.replace(/[.]/g, '\\.')}/c/[A-Za-z0-9_-]{22}`).exec(mail!.text)?.[0];
    expect(shareLink).toBeDefined();
    expect(await (await fetch(`${shareLink!}/credential.json`)).json()).toEqual(credential);
    expect(mail!.text).toMatch(/openid-credential-offer:\/\/\?credential_offer=\S+/);
    expect((await text(`${system.url}/dev/mail/0000000000000-00000000`)).status).toBe(404);

    expect(receiver.requests).toHaveLength(2);
    const verifier = new Webhook(SECRET);
    const posted = receiver.requests.map((r) => verifier.verify(r.body, Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]))) as { credentialId: string; learnerName: string; links: { share: string } });
    expect(posted.map((p) => p.credentialId).sort()).toEqual([...ids].sort());
    expect(posted.map((p) => p.learnerName).sort()).toEqual(LEARNERS.map((l) => l.name).sort());
    for (const p of posted) expect(p.links.share).toMatch(new RegExp(`^${system.url.replace(/[.]/g, '\\.')}/c/[A-Za-z0-9_-]{22}$`));

    // Restart: the development chain starts empty and every batch is anchored again; nothing is delivered twice and
    // the caught mail is still there.
    await system.stop();
    const again = await start(dataDir, receiver.url);
    const [batch] = again.issuer!.store.listBatches({ limit: 1 }).items;
    await again.issuer!.anchorer.whenAnchored(batch!.id, { timeoutMs: 60_000 });
    await again.issuer!.delivery.runOnce();
    expect(await again.issuer!.mailCatcher!.list()).toHaveLength(2);
    expect(receiver.requests).toHaveLength(2);
    expect(again.issuer!.store.listDeliveryJobs().items.map((j) => j.state)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });
});
