// Works out once per credential what its anchor proof says and what the registry answers for its issuer DID and leaf.
import { decodeAnchorProof, type Anchor } from '../anchoring';
import { credentialLeaf } from '../anchoring';
import { isMicrocredError } from '../errors';
import type { ChainReader, RootAnchor } from './chain-reader';
import type { CheckDeps } from './context';
import { issuerIdOf, type ParsedCredential } from './input';
import type { TrustedRegistry } from './policy';
import { createPathCheck } from './path-check';
import { ZERO_ROOT, registryIssuerId, type RegistryAnswer, type RegistryQuery } from './registry-source';

// A bulk run asks for the same credential's leaf, proof and path twice (prefetch, then verify) and walks paths whose
// upper nodes its neighbours share: each is worked out once. All are pure functions of the parsed credential.
const verifyPath = createPathCheck();
const leaves = new WeakMap<ParsedCredential, { leaf: string } | { error: unknown }>();
const decodedProofs = new WeakMap<object, ReturnType<typeof decodeAnchorProof>>();
const pathChecks = new WeakMap<Anchor, { leaf: string; holds: boolean }>();

/**
 * The registry question for a credential whose path (if it has an anchor proof) already holds off-chain. The path is
 * not sent: the contract's own check (`leafInRoot`) repeats the same sorted-pair keccak, and on a `hardhat node` it
 * was ~80% of a 250-question lookupMany call (265 ms against 47 ms without paths), the bound of bulk verification.
 */
function registryQuestion(issuerId: string, proof: ProofState, leaf: string): RegistryQuery {
  return { issuerId, root: proof.kind === 'usable' ? proof.anchor.root : ZERO_ROOT, leaf, path: [] };
}

/** Whether `leaf` is in the anchor's root by its path; asked twice per credential in bulk, checked once. */
function pathHolds(leaf: string, anchor: Anchor): boolean {
  const known = pathChecks.get(anchor);
  if (known !== undefined && known.leaf === leaf) return known.holds;
  const holds = verifyPath(leaf, anchor.path, anchor.root);
  pathChecks.set(anchor, { leaf, holds });
  return holds;
}

/** credentialLeaf of the credential (of the JWS, for VC-JOSE), computed once per parsed credential (throws as credentialLeaf does). */
function leafOf(parsed: ParsedCredential): string {
  let memo = leaves.get(parsed);
  if (memo === undefined) {
    try {
      // A JWS's leaf is that of its payload, which parseInput has already decoded (the same JSON.parse of the same part).
      memo = { leaf: credentialLeaf(parsed.credential) };
    } catch (error) {
      memo = { error };
    }
    leaves.set(parsed, memo);
  }
  if ('error' in memo) throw memo.error;
  return memo.leaf;
}

function decodedProofOf(anchorProof: Record<string, unknown>): ReturnType<typeof decodeAnchorProof> {
  let decoded = decodedProofs.get(anchorProof);
  if (decoded === undefined) {
    decoded = decodeAnchorProof(anchorProof);
    decodedProofs.set(anchorProof, decoded);
  }
  return decoded;
}

/** What the credential's anchor proof says, before any chain read. */
export type ProofState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'malformed'; readonly code: string; readonly message: string }
  | { readonly kind: 'untrusted'; readonly anchor: Anchor; readonly chainId: number }
  | { readonly kind: 'path-mismatch'; readonly anchor: Anchor }
  | { readonly kind: 'usable'; readonly anchor: Anchor; readonly created: string };

/** What the registry answered for (issuer DID, root or none, leaf). */
export type ReadState =
  /** Not asked, on purpose: the credential already fails (changed after anchoring) or names no issuer. */
  | { readonly kind: 'not-read'; readonly why: 'path-mismatch' | 'no-issuer' | 'leaf-error'; readonly message: string }
  /** No registry reader fits (none configured, or not the one the proof names). */
  | { readonly kind: 'no-reader'; readonly chainId?: number; readonly registry?: string }
  /** `endpoints`: the RPC endpoints asked (labels without paths or keys), for a message that names what to fix. */
  | { readonly kind: 'unavailable'; readonly code: string; readonly message: string; readonly endpoints: readonly string[]; readonly known?: RootAnchor }
  /** `behind`: the root is not found, and the node has not reached the proof's block or the proof is recent. */
  | { readonly kind: 'read'; readonly answer: RegistryAnswer; readonly behind: boolean; readonly latestBlock?: number };

/** Everything the anchor, accredited-issuer and revocation checks and the summary need to know. */
export interface RegistryFacts {
  readonly proof: ProofState;
  /** The credential's own issuer DID and its registry id, when it names one. */
  readonly issuerDid?: string;
  readonly issuerId?: string;
  readonly leaf?: string;
  readonly read: ReadState;
  /** The registry read (or that would have been read). */
  readonly registry?: TrustedRegistry;
}

/** The numeric chain id of a CAIP-2 `eip155:<id>` string (decodeAnchorProof has checked the form). */
export function chainIdOf(anchor: Anchor): number {
  return Number(anchor.chain.slice('eip155:'.length));
}

/** True when `registries` lists this chain id and address. */
export function isTrusted(registries: readonly TrustedRegistry[], chainId: number, address: string): boolean {
  return registries.some((r) => r.chainId === chainId && r.address.toLowerCase() === address.toLowerCase());
}

function readerFits(reader: ChainReader | undefined, chainId: number, address: string): reader is ChainReader {
  return reader !== undefined && reader.chainId === chainId && reader.registryAddress.toLowerCase() === address.toLowerCase();
}

function decodeProof(parsed: ParsedCredential, deps: CheckDeps): ProofState {
  if (parsed.anchorProof === undefined) return { kind: 'absent' };
  const decoded = decodedProofOf(parsed.anchorProof);
  if (!decoded.ok) return { kind: 'malformed', code: decoded.code, message: decoded.message };
  const { anchor } = decoded;
  const chainId = chainIdOf(anchor);
  if (!isTrusted(deps.policy.trustedRegistries, chainId, anchor.registry)) return { kind: 'untrusted', anchor, chainId };
  return { kind: 'usable', anchor, created: decoded.created };
}

/** True when a root the node does not know may simply not have reached it yet. */
async function nodeBehind(reader: ChainReader, proof: { anchor: Anchor; created: string }, deps: CheckDeps): Promise<{ behind: boolean; latestBlock?: number }> {
  const ageSeconds = (deps.now().getTime() - Date.parse(proof.created)) / 1000;
  if (ageSeconds < deps.policy.nodeLagWindowSeconds) return { behind: true };
  try {
    const latestBlock = await reader.latestBlock();
    return { behind: latestBlock < proof.anchor.block, latestBlock };
  } catch {
    // The lookup just answered, so the node is up; without its head the root's absence is taken at its word.
    return { behind: false };
  }
}

/**
 * Decodes the anchor proof, recomputes the leaf, checks the path off-chain, and asks the registry, by the
 * credential's own issuer DID, about the root (or none) and the leaf: one question, batched with others. The leaf
 * status and the issuer's standing are read even without an anchor proof. Never throws.
 */
export async function resolveRegistry(parsed: ParsedCredential, deps: CheckDeps): Promise<RegistryFacts> {
  const proof = decodeProof(parsed, deps);
  const issuerDid = issuerIdOf(parsed.credential);
  const issuerId = issuerDid === undefined ? undefined : registryIssuerId(issuerDid);
  const who = { ...(issuerDid !== undefined ? { issuerDid } : {}), ...(issuerId !== undefined ? { issuerId } : {}) };

  let leaf: string;
  try {
    leaf = leafOf(parsed);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { proof, ...who, read: { kind: 'not-read', why: 'leaf-error', message } };
  }
  // Checked off-chain first: a credential changed after anchoring never costs a chain read.
  if (proof.kind === 'usable' && !pathHolds(leaf, proof.anchor)) {
    return { proof: { kind: 'path-mismatch', anchor: proof.anchor }, ...who, leaf, read: { kind: 'not-read', why: 'path-mismatch', message: 'The credential does not match its anchor proof.' } };
  }
  if (issuerId === undefined) return { proof, leaf, read: { kind: 'not-read', why: 'no-issuer', message: 'The credential names no issuer.' } };

  // A usable proof is read in the registry it names; otherwise the verifier's own registry answers for issuer and leaf.
  const reader = deps.reader;
  if (proof.kind === 'usable') {
    const chainId = chainIdOf(proof.anchor);
    if (!readerFits(reader, chainId, proof.anchor.registry)) {
      return { proof, ...who, leaf, read: { kind: 'no-reader', chainId, registry: proof.anchor.registry }, registry: { chainId, address: proof.anchor.registry } };
    }
  } else if (reader === undefined) {
    return { proof, ...who, leaf, read: { kind: 'no-reader' } };
  }
  const r: ChainReader = reader;
  const registry = { chainId: r.chainId, address: r.registryAddress };
  const query = registryQuestion(issuerId, proof, leaf);
  try {
    const answer = await r.lookup(query);
    const lag = proof.kind === 'usable' && answer.anchoredAt === 0 ? await nodeBehind(r, proof, deps) : { behind: false };
    return { proof, ...who, leaf, registry, read: { kind: 'read', answer, ...lag } };
  } catch (error) {
    const code = isMicrocredError(error) ? error.code : 'ERR_CHAIN';
    const message = error instanceof Error ? error.message : String(error);
    const known = proof.kind === 'usable' ? r.knownAnchor(issuerId, proof.anchor.root) : undefined;
    return { proof, ...who, leaf, registry, read: { kind: 'unavailable', code, message, endpoints: r.endpoints, ...(known ? { known } : {}) } };
  }
}

/**
 * The words of a check that could not read the registry: which registry, at which RPC endpoint, and what to fix.
 * `what` is what was not checked ("the anchor", "revocation").
 */
export function registryUnreachableWords(facts: RegistryFacts, what: string): string {
  const registry = facts.registry === undefined ? 'The registry' : `The registry ${facts.registry.address} on chain ${facts.registry.chainId}`;
  const endpoints = facts.read.kind === 'unavailable' && facts.read.endpoints.length > 0 ? facts.read.endpoints.join(', ') : 'its RPC endpoint';
  return `${registry} could not be reached at ${endpoints}, so ${what} was not checked. Check the RPC URL (--rpc, or MICROCRED_RPC_URLS for a server) and that the node is running, then verify again.`;
}

/** The registry question a credential would ask, or undefined (for prefetching in bulk; the same rules as above). */
export function registryQueryOf(parsed: ParsedCredential, deps: CheckDeps): RegistryQuery | undefined {
  const issuerDid = issuerIdOf(parsed.credential);
  if (issuerDid === undefined) return undefined;
  const proof = decodeProof(parsed, deps);
  let leaf: string;
  try {
    leaf = leafOf(parsed);
  } catch {
    return undefined;
  }
  const issuerId = registryIssuerId(issuerDid);
  if (proof.kind !== 'usable') return deps.reader ? registryQuestion(issuerId, proof, leaf) : undefined;
  if (!readerFits(deps.reader, chainIdOf(proof.anchor), proof.anchor.registry)) return undefined;
  if (!pathHolds(leaf, proof.anchor)) return undefined;
  return registryQuestion(issuerId, proof, leaf);
}
