// Check 6, anchor: the Merkle path leads from the credential's leaf to a root anchored in a trusted registry.
import type { CredentialContext } from '../context';
import { checkResult, type CheckResult } from '../result';

function anchorData(anchor: { chain: string; registry: string; root: string; transaction: string; block: number }): Record<string, unknown> {
  return { chain: anchor.chain, registry: anchor.registry, root: anchor.root, transaction: anchor.transaction, block: anchor.block };
}

/**
 * ANCHOR_FOUND (data {root, leaf, anchoredBy, anchoredAt, transaction, …}); skipped ANCHOR_PENDING when the credential
 * carries no anchor proof yet; failed ANCHOR_PROOF_INVALID / ANCHOR_UNTRUSTED_REGISTRY / ANCHOR_PATH_MISMATCH /
 * ANCHOR_ROOT_NOT_FOUND; error ANCHOR_RPC_UNREACHABLE / ANCHOR_NO_READER / ANCHOR_LEAF_ERROR.
 */
export async function anchorCheck(ctx: CredentialContext): Promise<CheckResult> {
  const s = await ctx.anchor();
  switch (s.state) {
    case 'absent':
      return checkResult('anchor', 'skipped', 'ANCHOR_PENDING', 'The credential carries no anchor proof yet: its batch is not anchored, so the registry cannot confirm it.');
    case 'malformed':
      return checkResult('anchor', 'failed', 'ANCHOR_PROOF_INVALID', `The anchor proof cannot be read: ${s.message}`, { cause: s.code });
    case 'untrusted':
      return checkResult('anchor', 'failed', 'ANCHOR_UNTRUSTED_REGISTRY', `The credential is anchored in registry ${s.anchor.registry} on chain ${s.chainId}, which this verifier does not trust.`, anchorData(s.anchor));
    case 'no-reader':
      return checkResult('anchor', 'error', 'ANCHOR_NO_READER', `The registry ${s.anchor.registry} on chain ${s.chainId} is trusted, but no RPC endpoint is configured for it.`, anchorData(s.anchor));
    case 'leaf-error':
      return checkResult('anchor', 'error', 'ANCHOR_LEAF_ERROR', `The credential’s leaf could not be computed: ${s.message}`, anchorData(s.anchor));
    case 'path-mismatch':
      return checkResult('anchor', 'failed', 'ANCHOR_PATH_MISMATCH', 'The credential does not belong to the anchored batch: it was changed after it was anchored, or the anchor proof is someone else’s.', {
        ...anchorData(s.anchor),
        leaf: s.leaf,
      });
    case 'unavailable':
      if (s.known) {
        return checkResult('anchor', 'passed', 'ANCHOR_FOUND', 'The credential is recorded in the trusted registry (remembered from an earlier read; the registry is unreachable now).', {
          ...anchorData(s.anchor),
          leaf: s.leaf,
          anchoredBy: s.known.anchoredBy,
          anchoredAt: new Date(s.known.anchoredAt * 1000).toISOString(),
          cached: true,
        });
      }
      return checkResult('anchor', 'error', 'ANCHOR_RPC_UNREACHABLE', 'The registry could not be reached, so the anchor was not checked. Try again later.', {
        ...anchorData(s.anchor),
        leaf: s.leaf,
        cause: s.code,
      });
    case 'read': {
      const { lookup } = s;
      if (lookup.anchoredBy === null) {
        return checkResult('anchor', 'failed', 'ANCHOR_ROOT_NOT_FOUND', 'The registry has no record of the batch this credential claims to be anchored in.', { ...anchorData(s.anchor), leaf: s.leaf });
      }
      if (!lookup.leafInRoot) {
        return checkResult('anchor', 'failed', 'ANCHOR_PATH_MISMATCH', 'The registry does not accept the Merkle path from this credential to its root.', { ...anchorData(s.anchor), leaf: s.leaf });
      }
      return checkResult('anchor', 'passed', 'ANCHOR_FOUND', `The credential is recorded in the trusted registry since ${new Date(lookup.anchoredAt * 1000).toISOString()}.`, {
        ...anchorData(s.anchor),
        leaf: s.leaf,
        anchoredBy: lookup.anchoredBy,
        anchoredAt: new Date(lookup.anchoredAt * 1000).toISOString(),
      });
    }
  }
}
