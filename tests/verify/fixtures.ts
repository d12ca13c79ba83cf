// Shared fixtures for verifier tests: an issuer, signed credentials in both forms, anchoring helpers and a fake chain.
import { getAddress } from 'ethers';
import { anchorCreated, attachAnchorProof, encodeAnchorProof, type AnchorProof } from '../../src/anchoring/anchor-proof';
import { credentialLeaf } from '../../src/anchoring/leaf';
import { buildTree } from '../../src/anchoring/merkle';
import type { LookupResult } from '../../src/chain/types';
import { buildCredential } from '../../src/credential';
import { SigningKey, createDidKeyIssuer, signDataIntegrity, signJose, type IssuerKeyring } from '../../src/signing';
import { createChainReader, type ChainReader, type LookupSource } from '../../src/verify';
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

/** The lookup a healthy registry gives for an anchored, active credential of `did`. */
export function goodLookup(did: string, overrides: Partial<LookupResult> = {}): LookupResult {
  return {
    anchoredBy: getAddress('0x70997970c51812dc3a010c7d01b50e0d17dc79c8'),
    anchoredAt: Math.floor(new Date('2025-03-02T09:00:00Z').getTime() / 1000),
    leafInRoot: true,
    status: 'active',
    statusReason: 0,
    statusSince: 0,
    issuerDid: did,
    issuerName: 'St Example Hospital (registered)',
    issuerActive: true,
    issuerRegistered: true,
    ...overrides,
  };
}

/** A lookup source answering {@link goodLookup} with `overrides`. */
export function lookupOf(did: string, overrides: Partial<LookupResult> = {}): () => Promise<LookupResult> {
  return () => Promise.resolve(goodLookup(did, overrides));
}

/** A chain reader over a scripted lookup source; `calls` counts lookups reaching the source. */
export function fakeReader(lookup: LookupSource['lookup'], options: { statusTtlMs?: number; now?: () => Date } = {}): ChainReader & { calls: () => number } {
  let calls = 0;
  const reader = createChainReader({
    chainId: CHAIN_ID,
    registryAddress: FAKE_REGISTRY,
    source: {
      lookup: (root, leaf, path) => {
        calls++;
        return lookup(root, leaf, path);
      },
    },
    ...options,
  });
  return Object.assign(reader, { calls: () => calls });
}
