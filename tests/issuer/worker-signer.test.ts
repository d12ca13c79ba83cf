// The worker-pool signer: Data Integrity signatures made in worker threads verify, bad credentials fail with codes, a
// killed thread loses nothing, and threads start only for large batches.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDocumentLoader } from '../../src/contexts/loader';
import { buildCredential } from '../../src/credential';
import { createWorkerPoolSigner } from '../../src/issuer/worker-signer';
import { SigningKey, createDidKeyIssuer, verifyDataIntegrity, verifyJose } from '../../src/signing';
import type { CredentialSigner } from '../../src/issuer';

const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'Pool Test Academy', url: 'https://academy.example' });
const now = (): Date => new Date('2026-03-01T10:00:00Z');
const record = (i: number) => ({
  learner: { did: `did:example:learner-${i}` },
  module: { id: 'https://academy.example/modules/acls', name: 'ACLS', description: 'Advanced cardiac life support.', criteria: 'Passed the megacode.' },
  completedAt: '2026-02-01T09:00:00Z',
});
const credential = (i: number) => buildCredential({ record: record(i), issuer: issuer.profile, now }) as unknown as Record<string, unknown>;

let signer: CredentialSigner | undefined;
afterEach(async () => {
  await signer?.close();
  signer = undefined;
});

describe('createWorkerPoolSigner', () => {
  it('signs Data Integrity credentials in parallel threads, with the injected clock, and they verify', async () => {
    signer = createWorkerPoolSigner({ keyring: issuer, loader: defaultDocumentLoader(), now, size: 2, startAt: 0 });
    expect(signer.concurrency).toBe(2);
    const inputs = Array.from({ length: 6 }, (_, i) => credential(i));
    const documents = await Promise.all(inputs.map((input) => signer!.sign(input, 'di')));
    for (const [i, text] of documents.entries()) {
      const signed = JSON.parse(text) as { id: string; proof: Array<{ created: string; verificationMethod: string }> };
      // Replies come back to the request that asked, whatever order the threads finish in.
      expect(signed.id).toBe(inputs[i]!.id);
      expect(signed.proof).toHaveLength(1);
      expect(signed.proof[0]!.created).toBe('2026-03-01T10:00:00Z');
      expect(signed.proof[0]!.verificationMethod).toBe(issuer.signingKey.id);
      expect((await verifyDataIntegrity(signed)).verified).toBe(true);
    }
  });

  it('loses nothing when a thread is killed mid-batch: every credential is signed, each answer to its own request', async () => {
    const pool = createWorkerPoolSigner({ keyring: issuer, loader: defaultDocumentLoader(), now, size: 2, startAt: 0 });
    signer = pool;
    const [victim] = pool.workers();
    const inputs = Array.from({ length: 40 }, (_, i) => credential(100 + i));
    let done = 0;
    let doneAtKill = -1;
    const results = inputs.map((input) =>
      pool.sign(input, 'di').then((text) => {
        done++;
        if (done === 3) {
          doneAtKill = done;
          void victim!.terminate();
        }
        return text;
      }),
    );
    const documents = await Promise.all(results);
    expect(doneAtKill).toBe(3);
    // The killed thread was replaced; the pool keeps its size.
    expect(pool.workers()).toHaveLength(2);
    expect(pool.workers()).not.toContain(victim);
    for (const [i, text] of documents.entries()) {
      const signed = JSON.parse(text) as { id: string };
      expect(signed.id).toBe(inputs[i]!.id);
      expect((await verifyDataIntegrity(signed)).verified).toBe(true);
    }
  });

  it('signs on the calling thread until a large batch is announced', async () => {
    const pool = createWorkerPoolSigner({ keyring: issuer, loader: defaultDocumentLoader(), now, size: 2, startAt: 100 });
    signer = pool;
    expect((await verifyDataIntegrity(JSON.parse(await pool.sign(credential(5), 'di')))).verified).toBe(true);
    pool.expect?.(99, 'di');
    pool.expect?.(99, 'jose');
    expect(pool.workers()).toHaveLength(0);
    expect(pool.offloadsJose?.()).toBe(false);
    pool.expect?.(100, 'di');
    expect(pool.workers()).toHaveLength(2);
    expect(pool.offloadsJose?.()).toBe(true);
    expect((await verifyDataIntegrity(JSON.parse(await pool.sign(credential(6), 'di')))).verified).toBe(true);
  });

  it('signs VC-JOSE on the calling thread', async () => {
    signer = createWorkerPoolSigner({ keyring: issuer, loader: defaultDocumentLoader(), now, size: 1 });
    expect((await verifyJose(await signer.sign(credential(1), 'jose'))).verified).toBe(true);
  });

  it('rejects a credential the contexts do not define with a stable code, and keeps serving', async () => {
    signer = createWorkerPoolSigner({ keyring: issuer, loader: defaultDocumentLoader(), now, size: 1, startAt: 0 });
    const bad = { ...credential(2), '@context': [...(credential(2)['@context'] as string[]), 'https://unbundled.example/context.json'] };
    await expect(signer.sign(bad, 'di')).rejects.toMatchObject({ code: 'ERR_CONTEXT_NOT_BUNDLED' });
    expect((await verifyDataIntegrity(JSON.parse(await signer.sign(credential(3), 'di')))).verified).toBe(true);
  });

  it('refuses work after close', async () => {
    signer = createWorkerPoolSigner({ keyring: issuer, loader: defaultDocumentLoader(), now, size: 1, startAt: 0 });
    await signer.close();
    await expect(signer.sign(credential(4), 'di')).rejects.toMatchObject({ code: 'ERR_SIGNER_CLOSED' });
  });
});
