// SIGKILL between the token and the credential request: after restarts, the wallet's retries get exactly one credential.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databasePath } from '../../src/store';
import { killIssuer, spawnIssuer, waitUntilServing, type IssuerProcess } from '../chaos/fixtures/issuer-process';
import { microcred } from '../helpers/cli';
import { freePort } from '../helpers/free-port';
import { sampleRecord } from '../helpers/records';
import { makeIssuer } from '../verify/fixtures';
import { askCredential, askDeferred, credentialOf, freshNonce, proofOf, redeem, walletClient, type WalletKey } from './wallet';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-oid4vci-crash-'));
const dataDir = path.join(dir, 'data');
let issuer: IssuerProcess | undefined;

afterAll(async () => {
  if (issuer !== undefined) await killIssuer(issuer);
  fs.rmSync(dir, { recursive: true, force: true });
});

const holder = makeIssuer('wallet holder');
const key: WalletKey = { signer: { method: 'did', didUrl: holder.signingKey.id as string, alg: 'EdDSA' }, privateKey: holder.signingKey.privateKeyObject(), publicJwk: holder.signingKey.publicJwk };

/** What the issuer's database holds for the offer and the holder, read as an auditor would. */
function stored(offerId: string): { credentialId: string | null; holderCredentials: string[] } {
  const db = new Database(databasePath(dataDir), { readonly: true, fileMustExist: true });
  try {
    const offer = db.prepare<[string], { credential_id: string | null }>('SELECT credential_id FROM oid4vci_offers WHERE id = ?').get(offerId);
    const rows = db.prepare<[string], { id: string }>('SELECT id FROM credentials WHERE learner_ref = ?').all(holder.did);
    return { credentialId: offer?.credential_id ?? null, holderCredentials: rows.map((r) => r.id) };
  } finally {
    db.close();
  }
}

describe('OID4VCI across SIGKILL', () => {
  it('a wallet that got its token before the kill, and whose answer was lost in a second kill, receives one credential', async () => {
    const port = await freePort();
    const env = { MICROCRED_DATA: dataDir, MICROCRED_HOST: '127.0.0.1', MICROCRED_PORT: String(port), MICROCRED_CHAIN_PORT: String(await freePort()), MICROCRED_BATCH_INTERVAL: '3600' };
    const baseUrl = `http://127.0.0.1:${port}`;
    const start = async (): Promise<IssuerProcess> => {
      const started = spawnIssuer({ dataDir, port, env, args: ['--no-sample'] });
      await waitUntilServing(started, baseUrl);
      return started;
    };
    issuer = await start();

    const recordFile = path.join(dir, 'record.json');
    fs.writeFileSync(recordFile, JSON.stringify(sampleRecord()));
    const created = await microcred(['offer', 'create', '--record', recordFile, '--qr', path.join(dir, 'offer.png'), '--json'], { env });
    expect(created.code, created.stderr).toBe(0);
    const offer = JSON.parse(created.stdout) as { offerId: string; credentialOfferUri: string };
    expect(fs.readFileSync(path.join(dir, 'offer.png')).subarray(1, 4).toString()).toBe('PNG');
    const admin = await microcred(['token', 'create', '--name', 'ops', '--scope', 'admin', '--json'], { env });
    const adminToken = (JSON.parse(admin.stdout) as { token: string }).token;

    const client = walletClient([key]);
    const redeemed = await redeem(client, offer.credentialOfferUri);
    const nonce = await freshNonce(client, redeemed);
    await killIssuer(issuer);
    expect(stored(offer.offerId).credentialId).toBeNull();

    // Restarted: the access token and the nonce survive in the database.
    issuer = await start();
    const first = await askCredential(client, redeemed, await proofOf(client, redeemed, key, nonce));
    expect(first.status).toBe(202);
    const afterFirst = stored(offer.offerId);
    expect(afterFirst.credentialId).not.toBeNull();

    // The answer is lost: the wallet never saw it, and the issuer dies again.
    await killIssuer(issuer);
    issuer = await start();
    const retry = await askCredential(client, redeemed, await proofOf(client, redeemed, key, await freshNonce(client, redeemed)));
    expect(retry.status).toBe(202);
    expect(stored(offer.offerId)).toEqual({ credentialId: afterFirst.credentialId, holderCredentials: [afterFirst.credentialId] });

    const anchored = await fetch(`${baseUrl}/v1/batches/anchor`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
    expect(anchored.status).toBe(202);
    const done = await askDeferred(client, redeemed, retry.body.transaction_id as string);
    expect(done.status).toBe(200);
    const credential = credentialOf(done.body);
    expect(credential.id).toBe(afterFirst.credentialId);
    expect(credential.credentialSubject.id).toBe(holder.did);
    expect(stored(offer.offerId).holderCredentials).toEqual([afterFirst.credentialId]);
  });
});
