// `microcred keys list|rotate` as real processes: did:web rotation keeps old credentials verifying; did:key refuses.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDocumentLoader } from '../../src/contexts/loader';
import { createDidResolver } from '../../src/did/did-web-resolver';
import type { DidDocument } from '../../src/did/did-document';
import { databasePath, openStore } from '../../src/store';
import { createVerifier } from '../../src/verify/verifier';
import type { CheckResult } from '../../src/verify/result';
import { microcred, microcredSync } from '../helpers/cli';
import { freePort } from '../helpers/free-port';
import { killIssuer, spawnIssuer, waitUntilServing, type IssuerProcess } from '../chaos/fixtures/issuer-process';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-keys-'));
const running = new Set<IssuerProcess>();

afterAll(async () => {
  for (const issuer of running) await killIssuer(issuer);
  fs.rmSync(dir, { recursive: true, force: true });
});

const DOMAIN = 'issuer.example.org';
const DID = `did:web:${DOMAIN}`;
const RECORD = {
  learner: { email: 'ada@example.org', name: 'Ada' },
  module: { id: 'https://example.org/m/acls', name: 'ACLS', description: 'Cardiac life support.', criteria: 'Passed.' },
  completedAt: '2025-02-28T09:30:00Z',
};

/** Starts `microcred serve --role issuer` on the embedded chain (only its HTTP side matters here). */
async function serve(data: string): Promise<{ issuer: IssuerProcess; base: string }> {
  const port = await freePort();
  // --no-sample: the development sample waits for its anchor, and a SIGTERM meanwhile would wait with it.
  const issuer = spawnIssuer({ dataDir: data, port, args: ['--no-sample'], env: { MICROCRED_CHAIN_PORT: String(await freePort()) } });
  running.add(issuer);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilServing(issuer, base);
  return { issuer, base };
}

async function stop(issuer: IssuerProcess): Promise<void> {
  issuer.child.kill('SIGTERM');
  await issuer.exited;
  running.delete(issuer);
}

async function issue(base: string, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}/v1/credentials`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(RECORD) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { credential: Record<string, unknown> }).credential;
}

async function didDocument(base: string): Promise<DidDocument> {
  const response = await fetch(`${base}/.well-known/did.json`);
  expect(response.status).toBe(200);
  return (await response.json()) as DidDocument;
}

const methodOf = (credential: Record<string, unknown>): string => (credential.proof as Array<{ verificationMethod: string }>)[0]!.verificationMethod;
const idsOf = (doc: DidDocument): string[] => (doc.verificationMethod ?? []).map((vm) => String((vm as { id: string }).id));

/** The signature and issuer-key checks of `credential` with `doc` as the only source of the issuer's keys (no chain). */
async function keyChecks(credential: unknown, doc: DidDocument): Promise<Record<string, CheckResult['status']>> {
  const didResolver = createDidResolver({ documents: { [doc.id]: doc } });
  const verifier = createVerifier({ loader: createDocumentLoader({ didResolver }), didResolver });
  try {
    const outcome = await verifier.verify(credential);
    const status = (name: string): CheckResult['status'] => outcome.checks.find((check) => check.check === name)!.status;
    return { signature: status('signature'), 'issuer-key': status('issuer-key') };
  } finally {
    verifier.close();
  }
}

describe('microcred keys', () => {
  it('did:web: rotate makes a new signing key (at the next start), keeps the old one published, and both credentials verify', async () => {
    const data = path.join(dir, 'web');
    const init = microcredSync(['init', '--data', data, '--did-method', 'web', '--did-domain', DOMAIN, '--json']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.json.did).toBe(DID);
    const token = microcredSync(['token', 'create', '--data', data, '--name', 'keys test', '--json']).json.token as string;

    let { issuer, base } = await serve(data);
    const first = await issue(base, token);
    const kid1 = methodOf(first);
    expect(kid1.startsWith(`${DID}#`)).toBe(true);

    // Not spawnSync while a server runs: a blocked event loop misses the server closing an idle keep-alive socket,
    // and the next fetch would be sent on it ("other side closed").
    const rotated = await microcred(['keys', 'rotate', '--data', data, '--json']);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.json).toMatchObject({ ok: true, did: DID, retired: kid1, restartRequired: true });
    const kid2 = rotated.json.active as string;
    expect(kid2).not.toBe(kid1);
    expect(rotated.json.published).toEqual([kid2, kid1]);

    // A running server keeps its keyring (documented): it still signs with, and publishes, the old key only.
    expect(methodOf(await issue(base, token))).toBe(kid1);
    expect(idsOf(await didDocument(base))).toEqual([kid1]);

    await stop(issuer);
    ({ issuer, base } = await serve(data));
    const doc = await didDocument(base);
    expect(doc.id).toBe(DID);
    expect(idsOf(doc)).toEqual([kid2, kid1]);
    expect(doc.assertionMethod).toEqual([kid2, kid1]);
    const second = await issue(base, token);
    expect(methodOf(second)).toBe(kid2);
    await stop(issuer);

    // Both verify against the served document; without the retired method the first one would not (the test can fail).
    expect(await keyChecks(first, doc)).toEqual({ signature: 'passed', 'issuer-key': 'passed' });
    expect(await keyChecks(second, doc)).toEqual({ signature: 'passed', 'issuer-key': 'passed' });
    const withoutOld: DidDocument = { ...doc, verificationMethod: doc.verificationMethod!.slice(0, 1), assertionMethod: [kid2], authentication: [kid2] };
    expect(await keyChecks(first, withoutOld)).not.toEqual({ signature: 'passed', 'issuer-key': 'passed' });

    // `keys list`: the new key active, the old one retired, and no private material in either output form.
    const after = microcredSync(['keys', 'list', '--data', data, '--json']);
    expect(after.json.keys.map((k: { kid: string; state: string }) => [k.kid, k.state])).toEqual([
      [kid2, 'active'],
      [kid1, 'retired'],
    ]);
    expect(after.json.keys[0]).toMatchObject({ controller: DID, algorithm: 'Ed25519', retired: null });
    expect(after.json.keys[1].retired).toEqual(expect.any(String));
    const human = microcredSync(['keys', 'list', '--data', data]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`active   Ed25519`);
    expect(human.stdout).toContain(kid1);
    const store = openStore({ path: databasePath(data), secret: fs.readFileSync(path.join(data, 'secret'), 'utf8').trim() });
    try {
      for (const kid of [kid1, kid2]) {
        const secretPart = String(store.issuerKeyWithPrivate(kid).privateKey.d);
        expect(secretPart.length).toBeGreaterThan(20);
        for (const output of [after.stdout, human.stdout, rotated.stdout]) expect(output).not.toContain(secretPart);
      }
    } finally {
      store.close();
    }
  }, 120_000);

  it('did:key: rotate is refused with exit 1 and says what to do; nothing changes', () => {
    const data = path.join(dir, 'key');
    expect(microcredSync(['init', '--data', data, '--json']).code).toBe(0);
    const before = microcredSync(['keys', 'list', '--data', data, '--json']).json.keys;
    expect(before).toHaveLength(1);

    const refused = microcredSync(['keys', 'rotate', '--data', data, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ ok: false, code: 'ERR_ROTATE_DID_KEY' });
    expect(refused.json.message).toContain('did:web');
    const human = microcredSync(['keys', 'rotate', '--data', data]);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('cannot rotate');

    expect(microcredSync(['keys', 'list', '--data', data, '--json']).json.keys).toEqual(before);
  });

  it('rotate with no key yet is refused (exit 1), and a bad option is a usage error (exit 2)', () => {
    const data = path.join(dir, 'empty');
    const noKey = microcredSync(['keys', 'rotate', '--data', data, '--json'], { env: { MICROCRED_DID_METHOD: 'web', MICROCRED_DID_DOMAIN: DOMAIN } });
    expect(noKey.code).toBe(1);
    expect(noKey.json.code).toBe('ERR_KEY_NOT_FOUND');
    expect(microcredSync(['keys', 'list', '--data', data, '--json']).json).toEqual({ ok: true, keys: [] });
    expect(microcredSync(['keys', 'rotate', '--data', data, '--bogus']).code).toBe(2);
  });
});
