// Faults under load: concurrent clients issue while the RPC path drops and the issuer process is SIGKILLed and restarted.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployRegistry } from '../../src/chain/deploy';
import { hardhatDevAccounts } from '../../src/chain/dev-accounts';
import { makeRpcProvider } from '../../src/chain/provider';
import { RegistryClient, type RootAnchoredEvent } from '../../src/chain';
import { loadOrCreateIssuerKeyring } from '../../src/issuer';
import { databasePath, openStore } from '../../src/store';
import { createStatusListFetcher } from '../../src/status/fetch';
import { createVerifier } from '../../src/verify/verifier';
import { freePort } from '../helpers/free-port';
import { startHardhatNode, type HardhatNode } from '../helpers/hardhat-node';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { runClients, type Ack, type ClientLog } from './fixtures/clients';
import { killIssuer, spawnIssuer, waitUntilServing, type IssuerProcess } from './fixtures/issuer-process';

const CHAIN_ID = 31337;
const CLIENTS = 4;
const REQUESTS_PER_CLIENT = 75; // 300 credentials in all
const TOTAL = CLIENTS * REQUESTS_PER_CLIENT;
const BATCH_SIZE = 20;
const ISSUER_NAME = 'Chaos Medical School';
/** The faults, in order; each waits for more acknowledged credentials (progress, not a clock). */
const STEPS = ['rpc-down', 'kill', 'rpc-up', 'kill', 'rpc-down', 'rpc-up', 'rpc-down', 'kill', 'rpc-up'] as const;
/** Acknowledgements remembered per kill: the credentials acknowledged right before it all get verified. */
const BEFORE_KILL = 8;
const VERIFY_SAMPLE = 50;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-chaos-'));
const dataDir = path.join(dir, 'data');
const [admin, anchorAccount] = hardhatDevAccounts(2) as [{ address: string; privateKey: string }, { address: string; privateKey: string }];

let node: HardhatNode | undefined;
let proxy: TcpProxy | undefined;
let issuer: IssuerProcess | undefined;
let reader: RegistryClient | undefined;

afterAll(async () => {
  if (issuer !== undefined) await killIssuer(issuer);
  reader?.close();
  await proxy?.close();
  await node?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A completion record unique to (client, index), so every credential's learner differs. */
function record(client: number, index: number): Record<string, unknown> {
  return {
    learner: { email: `learner-${client}-${index}@example.org`, name: `Learner ${client}-${index}` },
    module: { id: 'https://example.org/modules/acls-2025', name: 'Advanced Cardiac Life Support', description: 'Cardiac arrest management.', criteria: 'Passed the megacode.', credits: 8 },
    // No validFor: the verdicts below must not depend on the day the test runs.
    completedAt: '2025-11-20T15:30:00Z',
  };
}

interface CredentialDbRow {
  id: string;
  leaf: string;
  document: string;
  batch_id: number;
  anchor_proof: string | null;
}
interface BatchDbRow {
  id: number;
  state: string;
  root: string | null;
  tx_hash: string | null;
  leaf_count: number;
  last_error: string | null;
}

/** Reads the issuer's database read-only, as an auditor would, while the issuer keeps running. */
function readDatabase<T>(read: (db: Database.Database) => T): T {
  const db = new Database(databasePath(dataDir), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Waits (at most `polls` × 500 ms) until every credential's batch is anchored and has written its proofs. */
async function waitForDrain(polls = 240): Promise<void> {
  let last = '';
  for (let i = 0; i < polls; i++) {
    const state = readDatabase((db) => ({
      failed: db.prepare<[], BatchDbRow>("SELECT * FROM batches WHERE state = 'failed'").all(),
      unanchored: (db.prepare("SELECT count(*) AS n FROM credentials c JOIN batches b ON b.id = c.batch_id WHERE b.state != 'anchored' OR c.anchor_proof IS NULL").get() as { n: number }).n,
      unfinished: (db.prepare("SELECT count(*) AS n FROM batches WHERE state IN ('sealed', 'submitted')").get() as { n: number }).n,
    }));
    if (state.failed.length > 0) throw new Error(`batches failed: ${JSON.stringify(state.failed)}\n${issuer?.output() ?? ''}`);
    if (state.unanchored === 0 && state.unfinished === 0) return;
    last = `${state.unanchored} credential(s) not anchored, ${state.unfinished} batch(es) unfinished`;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the outbox did not drain: ${last}\n${issuer?.output() ?? ''}`);
}

describe('the issuer under concurrent load, RPC outages and SIGKILL', () => {
  let registryAddress: string;
  let token: string;
  let port: number;
  const env: Record<string, string> = {};
  const logLines: string[] = [];

  beforeAll(async () => {
    node = await startHardhatNode();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(node.url).port) });

    // The operator's set-up: data folder with key and token, registry deployed, the anchoring account accredited.
    const secret = randomBytes(32).toString('base64url');
    const store = openStore({ path: databasePath(dataDir), secret });
    let did: string;
    try {
      did = loadOrCreateIssuerKeyring(store, { didMethod: 'key', profile: { name: ISSUER_NAME, url: 'https://example.org' }, actor: 'test' }).keyring.did;
      token = store.createToken('chaos clients', ['issue'], 'test').token;
    } finally {
      store.close();
    }
    const provider = makeRpcProvider(node.url, CHAIN_ID, { pollingIntervalMs: 50 });
    try {
      registryAddress = await deployRegistry(new Wallet(admin.privateKey, provider), admin.address);
    } finally {
      provider.destroy();
    }
    const accreditor = await RegistryClient.connect({ address: registryAddress, rpcUrls: [node.url], chainId: CHAIN_ID, privateKey: admin.privateKey, pollingIntervalMs: 50 });
    try {
      await accreditor.registerIssuer(did, ISSUER_NAME, admin.address, [anchorAccount.address]);
    } finally {
      accreditor.close();
    }
    reader = await RegistryClient.connect({ address: registryAddress, rpcUrls: [node.url], chainId: CHAIN_ID });

    const keyFile = path.join(dir, 'anchor.key');
    fs.writeFileSync(keyFile, `${anchorAccount.privateKey}\n`, { mode: 0o600 });
    port = await freePort();
    Object.assign(env, {
      MICROCRED_CHAIN: 'external',
      MICROCRED_RPC_URLS: proxy.url,
      MICROCRED_CHAIN_ID: String(CHAIN_ID),
      MICROCRED_REGISTRY: registryAddress,
      MICROCRED_ANCHOR_KEY_FILE: keyFile,
      MICROCRED_SECRET: secret,
      MICROCRED_BATCH_SIZE: String(BATCH_SIZE),
      MICROCRED_BATCH_INTERVAL: '1',
      MICROCRED_ISSUER_NAME: ISSUER_NAME,
    });
  });

  const baseUrl = (): string => `http://127.0.0.1:${port}`;

  async function startIssuer(): Promise<void> {
    issuer = spawnIssuer({ dataDir, port, env, onLine: (line) => logLines.push(line) });
    await waitUntilServing(issuer, baseUrl());
  }

  it('acknowledges each credential once, anchors each root once, and every credential verifies', async () => {
    await startIssuer();
    const log: ClientLog = { acks: [], replays: [], failures: [], retries: new Map() };
    const beforeKill: Ack[] = [];
    const done: string[] = [];

    // Fault driver: step i runs once (i + 1) × `every` credentials are acknowledged, or when the clients are done.
    let clientsDone = false;
    const waiters: { count: number; resolve: () => void }[] = [];
    const wake = (): void => {
      for (const waiter of waiters.splice(0)) (log.acks.length >= waiter.count || clientsDone ? waiter.resolve : (): number => waiters.push(waiter))();
    };
    log.onAck = wake;
    const acknowledged = (count: number): Promise<void> => new Promise((resolve) => {
      waiters.push({ count, resolve });
      wake();
    });
    const every = Math.floor((TOTAL * 0.8) / STEPS.length);
    const faults = (async () => {
      for (const [i, step] of STEPS.entries()) {
        await acknowledged((i + 1) * every);
        if (step === 'rpc-down') await proxy!.close();
        if (step === 'rpc-up') await proxy!.open();
        if (step === 'kill') {
          beforeKill.push(...log.acks.slice(-BEFORE_KILL));
          await killIssuer(issuer!);
          await startIssuer();
        }
        done.push(`${step}@${log.acks.length}`);
      }
    })().catch((error: unknown) => {
      // A restart that fails ends the run: stop the clients rather than let them retry against nothing.
      log.stopped = true;
      throw error;
    });
    const clients = runClients(
      { baseUrl, token, clients: CLIENTS, requestsPerClient: REQUESTS_PER_CLIENT, replayEvery: 10, maxAttempts: 600, pauseMs: 100, record },
      log,
    ).finally(() => {
      clientsDone = true;
      wake();
    });
    await Promise.all([clients, faults]);
    expect(done).toHaveLength(STEPS.length);
    expect(proxy!.listening).toBe(true);

    // Every request was answered 201, and the faults really hit the clients.
    expect(log.failures).toEqual([]);
    expect(log.acks).toHaveLength(TOTAL);
    expect(log.acks.some((ack) => ack.attempts > 1)).toBe(true);
    // A deliberate second request with an answered key gets the stored answer: the same credential.
    expect(log.replays.length).toBeGreaterThan(0);
    for (const replay of log.replays) expect(replay, JSON.stringify(replay)).toMatchObject({ status: 201, id: replay.firstId, replayedHeader: 'true' });

    await waitForDrain();

    // Exactly once in the database: one row per acknowledged key, nothing missing, nothing extra.
    const credentials = readDatabase((db) => db.prepare<[], CredentialDbRow>('SELECT id, leaf, document, batch_id, anchor_proof FROM credentials').all());
    const batches = readDatabase((db) => db.prepare<[], BatchDbRow>('SELECT * FROM batches WHERE leaf_count > 0').all());
    const byId = new Map(credentials.map((row) => [row.id, row]));
    expect(new Set(log.acks.map((ack) => ack.id)).size).toBe(TOTAL);
    expect(credentials).toHaveLength(TOTAL);
    for (const ack of log.acks) {
      const row = byId.get(ack.id);
      expect(row, `acknowledged ${ack.id} is missing`).toBeDefined();
      expect(row!.leaf).toBe(ack.leaf);
      expect(JSON.parse(row!.document)).toEqual(ack.credential);
    }

    // Exactly once on chain: each batch root has one RootAnchored event, in the recorded transaction, and no other root was anchored.
    const events = await reader!.rootAnchoredEvents();
    const eventsByRoot = new Map<string, RootAnchoredEvent[]>();
    for (const event of events) eventsByRoot.set(event.root.toLowerCase(), [...(eventsByRoot.get(event.root.toLowerCase()) ?? []), event]);
    expect(batches.every((b) => b.state === 'anchored')).toBe(true);
    for (const batch of batches) {
      const found = eventsByRoot.get(batch.root!.toLowerCase()) ?? [];
      expect(found, `root of batch ${batch.id}`).toHaveLength(1);
      expect(found[0]!.transactionHash.toLowerCase()).toBe(batch.tx_hash!.toLowerCase());
      expect(found[0]!.operator).toBe(anchorAccount.address);
    }
    expect(events).toHaveLength(batches.length);
    expect(batches.reduce((sum, b) => sum + b.leaf_count, 0)).toBe(TOTAL);

    // The outages reached the anchoring worker (it retried), and the issuer was restarted three times.
    expect(logLines.some((line) => line.includes('batch.retry'))).toBe(true);
    expect(done.filter((step) => step.startsWith('kill'))).toHaveLength(3);
    expect(done.filter((step) => step.startsWith('rpc-down'))).toHaveLength(3);

    // Verifies: the anchored form as the issuer API hands it out, through the full verifier against the node.
    const sample = new Map<string, Ack>();
    for (const ack of beforeKill) sample.set(ack.id, ack);
    const shuffled = [...log.acks].sort(() => Math.random() - 0.5);
    for (const ack of shuffled.slice(0, VERIFY_SAMPLE)) sample.set(ack.id, ack);
    // Status lists come from the running issuer on loopback (development egress policy), like any verifier would fetch them.
    const verifier = createVerifier({ chain: { rpcUrls: [node!.url], chainId: CHAIN_ID, registryAddress }, statusListFetcher: createStatusListFetcher({ development: true }) });
    try {
      for (const ack of sample.values()) {
        const response = await fetch(`${baseUrl()}/v1/credentials/${encodeURIComponent(ack.id)}`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(200);
        const view = (await response.json()) as { anchorState: string; anchored: unknown };
        expect(view.anchorState).toBe('anchored');
        const outcome = await verifier.verify(view.anchored);
        expect(outcome.verdict, `${ack.id}: ${JSON.stringify(outcome.checks.filter((c) => c.status !== 'passed' && c.status !== 'skipped'))}`).toBe('valid');
      }
    } finally {
      verifier.close();
    }
    console.info(
      `chaos: ${TOTAL} credentials, ${batches.length} batches, steps ${done.join(' ')}, ` +
        `retries ${JSON.stringify(Object.fromEntries(log.retries))}, ${log.acks.filter((a) => a.replayed).length} replayed after a lost answer, ` +
        `${logLines.filter((line) => line.includes('idempotency.released')).length} restart(s) released claims, ` +
        `${logLines.filter((line) => line.includes('batch.retry')).length} anchoring retries, ` +
        `${logLines.filter((line) => line.includes('batch.reconciled')).length} batch(es) found already anchored after a restart, verified ${sample.size}`,
    );
  }, 300_000);
});
