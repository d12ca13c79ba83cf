// Works out once per credential what its anchor proof says and what the registry answers; three checks read it.
import { decodeAnchorProof, type Anchor } from '../anchoring';
import { credentialLeaf } from '../anchoring';
import { verifyPath } from '../anchoring';
import type { LookupResult } from '../chain';
import { isMicrocredError } from '../errors';
import type { ChainReader, RootAnchor } from './chain-reader';
import type { CheckDeps } from './context';
import type { ParsedCredential } from './input';
import type { TrustedRegistry } from './policy';

/** Everything the anchor, accredited-issuer and revocation checks need to know. */
export type AnchorState =
  | { readonly state: 'absent' }
  | { readonly state: 'malformed'; readonly code: string; readonly message: string }
  | { readonly state: 'untrusted'; readonly anchor: Anchor; readonly chainId: number }
  | { readonly state: 'no-reader'; readonly anchor: Anchor; readonly chainId: number }
  | { readonly state: 'leaf-error'; readonly anchor: Anchor; readonly message: string }
  | { readonly state: 'path-mismatch'; readonly anchor: Anchor; readonly leaf: string }
  | {
      readonly state: 'unavailable';
      readonly anchor: Anchor;
      readonly leaf: string;
      readonly code: string;
      readonly message: string;
      /** The root's anchor if an earlier read saw it (it never changes), so the anchor check can still pass. */
      readonly known?: RootAnchor;
    }
  | { readonly state: 'read'; readonly anchor: Anchor; readonly leaf: string; readonly lookup: LookupResult };

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

/**
 * Decodes the anchor proof, checks the registry is trusted, recomputes the leaf, checks the path off-chain, and
 * only then reads the chain (one lookup). Never throws.
 */
export async function resolveAnchor(parsed: ParsedCredential, deps: CheckDeps): Promise<AnchorState> {
  if (parsed.anchorProof === undefined) return { state: 'absent' };
  const decoded = decodeAnchorProof(parsed.anchorProof);
  if (!decoded.ok) return { state: 'malformed', code: decoded.code, message: decoded.message };
  const { anchor } = decoded;
  const chainId = chainIdOf(anchor);
  if (!isTrusted(deps.policy.trustedRegistries, chainId, anchor.registry)) return { state: 'untrusted', anchor, chainId };
  if (!readerFits(deps.reader, chainId, anchor.registry)) return { state: 'no-reader', anchor, chainId };
  let leaf: string;
  try {
    leaf = credentialLeaf(parsed.jws ?? parsed.credential);
  } catch (error) {
    return { state: 'leaf-error', anchor, message: error instanceof Error ? error.message : String(error) };
  }
  // Checked off-chain first: a credential changed after anchoring never costs a chain read.
  if (!verifyPath(leaf, anchor.path, anchor.root)) return { state: 'path-mismatch', anchor, leaf };
  try {
    const lookup = await deps.reader.lookup(anchor.root, leaf, anchor.path);
    return { state: 'read', anchor, leaf, lookup };
  } catch (error) {
    const code = isMicrocredError(error) ? error.code : 'ERR_CHAIN';
    const message = error instanceof Error ? error.message : String(error);
    const known = deps.reader.knownAnchor(anchor.root);
    return { state: 'unavailable', anchor, leaf, code, message, ...(known ? { known } : {}) };
  }
}
