// Shared fixtures for verifier tests: an issuer, signed credentials in both forms, anchoring helpers and a scripted registry.
import { getAddress } from 'ethers';
import { anchorCreated, attachAnchorProof, encodeAnchorProof, type AnchorProof } from '../../src/anchoring/anchor-proof';
import { credentialLeaf } from '../../src/anchoring/leaf';
import { buildTree } from '../../src/anchoring/merkle';
import { buildCredential } from '../../src/credential';
import { SigningKey, createDidKeyIssuer, signDataIntegrity, signJose, type IssuerKeyring } from '../../src/signing';
import { ZERO_ROOT, createChainReader, type ChainReader, type RegistryAnswer, type RegistryQuery, type RegistrySource } from '../../src/verify';
import { sampleRecord as record } from '../helpers/records';

/** A fixed "now" inside every sample credential's validity period. */
export const NOW = new Date('2025-06-01T12:00:00Z');
/** A registry address for tests that need no real chain. */
export const FAKE_REGISTRY = getAddress('0x5fbdb2315678afecb367f032d93f642f64180aa3');
export const CHAIN_ID = 31337;

/** The shared sample completion record (tests/helpers/records.ts); `overrides` replaces top-level fields. */
export { record };

/** A did:key issuer with a fresh Ed25519 key. */
export function makeIssuer(name = 'St Example Hospital'): IssuerKeyring {
  return createDidKeyIssuer(SigningKey.generate('Ed25519'), { name, url: 'https://hospital.example' });
}

/** An unsigned credential from `issuer`. */
export function unsigned(issuer: IssuerKeyring, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return buildCredential({ record: record(overrides), issuer: issuer.profile, now: () => new Date('2025-03-02T08:00:00Z') });
}

/** A Data Integrity credential. */
export async function signedDi(issuer: IssuerKeyring, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return signDataIntegrity(unsigned(issuer, overrides), { signingKey: issuer.signingKey, now: () => new Date('2025-03-02T08:00:00Z') });
}

/** A VC-JOSE compact JWS. */
export async function signedJws(issuer: IssuerKeyring, overrides: Record<string, unknown> = {}): Promise<string> {
  return signJose(unsigned(issuer, overrides), { signingKey: issuer.signingKey });
}

/** One anchored batch: the anchor proof for each document, computed from a root anchored by `anchorRoot`. */
export interface AnchoredBatch {
  root: string;
  /** The anchored form of each input, in order (DI credential with the proof set, or an envelope for a JWS). */
  anchored: Record<string, unknown>[];
  leaves: string[];
  paths: string[][];
}

/** Builds the tree of `documents`, anchors its root with `anchorRoot`, and attaches each anchor proof. */
export async function anchorBatch(
  documents: ReadonlyArray<Record<string, unknown> | string>,
  options: { chainId: number; registry: string; anchorRoot: (root: string) => Promise<{ hash: string; blockNumber: number; timestamp: number }> },
): Promise<AnchoredBatch> {
  const leaves = documents.map((d) => credentialLeaf(d));
  const tree = buildTree(leaves);
  const mined = await options.anchorRoot(tree.root);
  const paths = leaves.map((_, i) => tree.proof(i));
  const anchored = documents.map((d, i) => {
    const proof: AnchorProof = encodeAnchorProof(
      { chain: `eip155:${options.chainId}`, registry: options.registry, root: tree.root, path: paths[i]!, transaction: mined.hash, block: mined.blockNumber },
      anchorCreated(mined.timestamp),
    );
    return typeof d === 'string' ? attachAnchorProof('jose', d, proof) : attachAnchorProof('di', JSON.stringify(d), proof);
  });
  return { root: tree.root, anchored, leaves, paths };
}

/** A fake anchoring: no chain, just a made-up transaction. */
export const fakeAnchor = (): Promise<{ hash: string; blockNumber: number; timestamp: number }> =>
  Promise.resolve({ hash: `0x${'ab'.repeat(32)}`, blockNumber: 7, timestamp: Math.floor(new Date('2025-03-02T09:00:00Z').getTime() / 1000) });

/** The answer a healthy registry gives for an anchored, active credential of `did`. */
export function goodLookup(did: string, overrides: Partial<RegistryAnswer> = {}): RegistryAnswer {
  return {
    anchoredAt: Math.floor(new Date('2025-03-02T09:00:00Z').getTime() / 1000),
    anchoredBlock: 7,
    leafInRoot: true,
    status: 'active',
    statusReason: 0,
    statusSince: 0,
    issuerRegistered: true,
    issuerActive: true,
    issuerDid: did,
    issuerName: 'St Example Hospital (registered)',
    ...overrides,
  };
}

/** A scripted answer for one question (a stand-in for the registry in tests whose subject is the checks). */
export type ScriptedLookup = (query: RegistryQuery) => Promise<RegistryAnswer>;

/**
 * A scripted registry: {@link goodLookup} with `overrides` for a query whose root is anchored, and for a query
 * without an anchor (ZERO_ROOT) the same issuer and leaf status with no anchor, as the contract answers.
 */
export function lookupOf(did: string, overrides: Partial<RegistryAnswer> = {}): ScriptedLookup {
  return (q) => Promise.resolve(q.root === ZERO_ROOT ? goodLookup(did, { ...overrides, anchoredAt: 0, anchoredBlock: 0, leafInRoot: false }) : goodLookup(did, overrides));
}

/** Options of {@link fakeReader}. */
export interface FakeReaderOptions {
  statusTtlMs?: number;
  now?: () => Date;
  batchSize?: number;
  /** The node's latest block (default 1,000,000). */
  latestBlock?: () => Promise<number>;
  /** The registry self-check (default: fine). */
  checkRegistry?: () => Promise<void>;
}

/** A chain reader over a scripted source; `calls` counts lookupMany calls and `questions` the questions in them. */
export function fakeReader(lookup: ScriptedLookup, options: FakeReaderOptions = {}): ChainReader & { calls: () => number; questions: () => number } {
  let calls = 0;
  let questions = 0;
  const source: RegistrySource = {
    lookupMany: async (queries) => {
      calls++;
      questions += queries.length;
      return Promise.all(queries.map((q) => lookup(q)));
    },
    latestBlock: options.latestBlock ?? (() => Promise.resolve(1_000_000)),
    checkRegistry: options.checkRegistry ?? (() => Promise.resolve()),
  };
  const reader = createChainReader({
    chainId: CHAIN_ID,
    registryAddress: FAKE_REGISTRY,
    source,
    ...(options.statusTtlMs !== undefined ? { statusTtlMs: options.statusTtlMs } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
  });
  return Object.assign(reader, { calls: () => calls, questions: () => questions });
}
