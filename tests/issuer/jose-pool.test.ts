// VC-JOSE batches in the signing threads: the same bytes as the main-thread path, nothing lost when a thread dies,
// results in input order, and one schema pass per row.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultDocumentLoader } from '../../src/contexts/loader';
import { completionRecordSchema } from '../../src/credential';
import { createIssuerService, createLocalSigner, createModuleCatalog, type BatchOutcome, type BatchRowInput, type CredentialSigner, type IssuerService } from '../../src/issuer';
import { createWorkerPoolSigner, type WorkerPoolSigner } from '../../src/issuer/worker-signer';
import type { JoseJob } from '../../src/issuer/jose-job';
import { SigningKey, createDidKeyIssuer, verifyJose } from '../../src/signing';
import { statusEntries, withStatusEntries, type StatusAllocator } from '../../src/status';
import { openStore, type Store, type StatusSlot } from '../../src/store';
import { sampleRecord as record } from '../helpers/records';

const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'Pool Test Academy', url: 'https://academy.example' });
const now = (): Date => new Date('2025-03-01T10:00:00Z');
const BASE_URL = 'https://academy.example';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

/** Ids and salts from counters, so two services draw the same ones in the same order. */
function counters(): { randomUUID: () => string; randomSalt: () => string } {
  let ids = 0;
  let salts = 0;
  return {
    randomUUID: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    randomSalt: () => `salt-${++salts}`,
  };
}

/** Status slots drawn in order (the store draws random indexes, which two stores would not share). */
function orderedStatus(): StatusAllocator & { bound: Map<string, StatusSlot> } {
  let next = 0;
  const bound = new Map<string, StatusSlot>();
  const entriesOf = (slot: StatusSlot) => statusEntries(BASE_URL, slot);
  return {
    bound,
    reserve: (format, count) => Array.from({ length: count }, () => ({ family: format, listNo: 1, index: next++ })),
    entriesOf,
    attach: (credential, slot) => withStatusEntries(credential, entriesOf(slot)),
    addStatusEntries(credential, format) {
      const slot = { family: format, listNo: 1, index: next++ };
      return { credential: withStatusEntries(credential, entriesOf(slot)), slot };
    },
    bind: (slot, credentialId) => void bound.set(credentialId, slot),
  };
}

function newStore(): Store {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-jose-pool-'));
  const store = openStore({ path: path.join(dir, 'microcred.sqlite'), now });
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  return store;
}

const CATALOG_MODULE = 'https://academy.example/modules/bls';

function service(signer: CredentialSigner, status = orderedStatus()): { service: IssuerService; store: Store; status: ReturnType<typeof orderedStatus> } {
  const store = newStore();
  // A catalog module, so achievement extras (version, tags, alignments) cross into the threads too.
  const catalog = createModuleCatalog({ store, baseUrl: () => BASE_URL });
  catalog.add(
    { id: CATALOG_MODULE, name: 'Basic Life Support', description: 'Adult BLS.', criteria: 'Passed the skills test.', tags: ['resuscitation'], alignments: [{ targetName: 'Clinical CPD', targetUrl: 'https://cpd.example/clinical', targetCode: 'CLIN' }] },
    'test',
  );
  const built = createIssuerService({ store, issuer, loader: defaultDocumentLoader(), now, signer, status, catalog, batch: { maxLeaves: 7 }, ...counters() });
  cleanups.push(() => built.close());
  return { service: built, store, status };
}

function pool(): WorkerPoolSigner {
  const signer = createWorkerPoolSigner({ keyring: issuer, loader: defaultDocumentLoader(), now, size: 2, startAt: 0 });
  cleanups.push(() => signer.close());
  return signer;
}

/** Varied rows: email and DID learners, unicode names, optional fields present and absent, both expiry forms, bad rows. */
function rows(): BatchRowInput[] {
  const inputs: unknown[] = [];
  for (let i = 0; i < 40; i++) {
    const base = record({ learner: i % 3 === 0 ? { did: `did:example:holder-${i}` } : { email: `learner.${i}@example.org`, name: i % 4 === 0 ? `Zoë Ñandú ${i} 学生` : `Learner ${i}` } });
    if (i % 5 === 0) delete base.result;
    if (i % 6 === 0) {
      delete base.validFor;
      base.expiresAt = '2027-03-01T00:00:00Z';
    }
    if (i % 7 === 0) {
      delete base.module.image;
      delete base.module.credits;
    }
    if (i % 8 === 1) {
      delete base.module;
      base.moduleId = CATALOG_MODULE;
    }
    inputs.push(base);
  }
  inputs.push({ ...record(), module: undefined, moduleId: 'https://academy.example/modules/unknown' });
  inputs.splice(9, 0, record({ learner: { email: 'not-an-email' } }));
  inputs.splice(20, 0, record({ completedAt: '2099-01-01T00:00:00Z' }));
  inputs.splice(30, 0, record({ colour: 'blue' }));
  return inputs.map((input, i) => ({ row: i + 1, input }));
}

/** What must be equal byte for byte: every row's outcome, and every stored row. */
function snapshot(outcome: BatchOutcome, store: Store): unknown {
  const stored = store.listCredentials({ order: 'asc', limit: 500 }).items.map((c) => [c.id, c.format, c.document, c.leaf, c.moduleId, c.learnerRef, c.learnerId === null ? null : store.getLearner(c.learnerId)?.email, c.batchId]);
  return { outcome, stored };
}

describe('VC-JOSE batches in the signing threads', () => {
  it('give the same bytes as the main-thread path (same key, clock, ids, salts and status slots), row for row', async () => {
    const local = service(createLocalSigner({ keyring: issuer, loader: defaultDocumentLoader(), now }));
    const threads = pool();
    const pooled = service(threads);
    expect(threads.offloadsJose?.()).toBe(true);
    const issueJose = vi.spyOn(threads, 'issueJose');
    // Small chunks, so chunks are signed in the threads while the one before is stored.
    const options = { format: 'jose' as const, actor: 'test', chunkSize: 8 };
    const a = await local.service.issueMany(rows(), options);
    const b = await pooled.service.issueMany(rows(), options);
    expect(issueJose).toHaveBeenCalled();
    expect(a).toMatchObject({ issued: 40, failed: 4 });
    expect(a.rows.filter((r) => r.status !== 'issued').map((r) => r.row)).toEqual([10, 21, 31, 44]);
    const payload = (jws: unknown) => JSON.parse(Buffer.from(String(jws).split('.')[1]!, 'base64url').toString()) as { credentialSubject: { achievement: { id: string; tag?: string[] } } };
    const fromCatalog = b.rows.flatMap((r) => (r.status === 'issued' && payload(r.credential).credentialSubject.achievement.id === CATALOG_MODULE ? [payload(r.credential)] : []));
    expect(fromCatalog).toHaveLength(5);
    expect(fromCatalog[0]!.credentialSubject.achievement.tag).toEqual(['resuscitation']);
    expect(snapshot(b, pooled.store)).toEqual(snapshot(a, local.store));
    expect([...pooled.status.bound]).toEqual([...local.status.bound]);
    const first = b.rows.find((r) => r.status === 'issued');
    expect(first?.status === 'issued' && (await verifyJose(first.credential)).verified).toBe(true);
    expect(first?.status === 'issued' && typeof first.credential === 'string' && JSON.parse(Buffer.from(first.credential.split('.')[1]!, 'base64url').toString()).credentialStatus).toHaveLength(2);

    // Atomic: rows checked once up front are built in the threads from the checked record, with the same bytes.
    const good = rows().filter((r) => ![10, 21, 31, 44].includes(r.row));
    const atomicA = await local.service.issueMany(good, { format: 'jose', actor: 'test', atomic: true });
    const atomicB = await pooled.service.issueMany(good, { format: 'jose', actor: 'test', atomic: true });
    expect(atomicA.issued).toBe(40);
    expect(snapshot(atomicB, pooled.store)).toEqual(snapshot(atomicA, local.store));
  });

  it('lose nothing when a thread is killed with jobs in flight: every job answered, in input order', async () => {
    const threads = pool();
    const [victim] = threads.workers();
    const jobs: JoseJob[] = Array.from({ length: 300 }, (_, i) => ({ record: record({ learner: { did: `did:example:h${i}` } }), checked: false, uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, salt: 's' }));
    const answers = threads.issueJose!(jobs, now());
    // Terminated before this thread can read any answer: the killed thread's messages go to its replacement.
    void victim!.terminate();
    const results = await answers;
    expect(threads.workers()).toHaveLength(2);
    expect(threads.workers()).not.toContain(victim);
    expect(results.map((r) => (r.ok ? r.credentialId : r))).toEqual(jobs.map((j) => `urn:uuid:${j.uuid}`));
    for (const result of results.slice(0, 5)) expect(result.ok && (await verifyJose(result.document)).verified).toBe(true);
  });

  it('complete an issueMany whose thread dies mid-batch, storing every row once, in row order', async () => {
    const threads = pool();
    const { service: pooled, store } = service(threads);
    const input = Array.from({ length: 240 }, (_, i) => ({ row: i + 1, input: record({ learner: { email: `l${i}@example.org` } }) }));
    let killed = false;
    const outcome = await pooled.issueMany(input, {
      format: 'jose',
      actor: 'test',
      chunkSize: 60,
      onProgress: () => {
        // The next chunk is already in the threads (pipelined) when the first one is stored.
        if (!killed) void threads.workers()[0]!.terminate();
        killed = true;
      },
    });
    expect(killed).toBe(true);
    expect(outcome).toMatchObject({ issued: 240, failed: 0 });
    const ids = outcome.rows.map((r) => (r.status === 'issued' ? r.credentialId : null));
    expect(outcome.rows.map((r) => r.row)).toEqual(input.map((r) => r.row));
    expect(ids).toEqual(input.map((_, i) => `urn:uuid:00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`));
    expect(store.listCredentials({ order: 'asc', limit: 500 }).items.map((c) => c.id)).toEqual(ids);
    // One audit entry per stored chunk, naming its credentials in order.
    const entries = store.queryAudit({ action: 'credential.issue.batch', limit: 100 }).items.reverse();
    expect(entries.flatMap((e) => e.details.credentialIds as string[])).toEqual(ids);
    expect(entries.map((e) => e.details.count)).toEqual([60, 60, 60, 60]);
  });

  it('validate each row once, on the main thread and in the threads alike', async () => {
    const parse = vi.spyOn(completionRecordSchema, 'safeParse');
    const local = service(createLocalSigner({ keyring: issuer, loader: defaultDocumentLoader(), now }));
    const input = rows().slice(0, 12);
    await local.service.issueMany(input, { format: 'jose', actor: 'test' });
    expect(parse).toHaveBeenCalledTimes(12);
    parse.mockClear();
    await local.service.issueMany(input.filter((r) => r.row !== 10), { format: 'di', actor: 'test', atomic: true });
    expect(parse).toHaveBeenCalledTimes(11);
    parse.mockClear();
    await local.service.issue(record(), { format: 'jose', actor: 'test' });
    expect(parse).toHaveBeenCalledTimes(1);
  });
});
