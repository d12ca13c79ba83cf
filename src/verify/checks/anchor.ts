// Check 6, anchor: the credential's issuer anchored, in a trusted registry, a root the credential's Merkle path leads to.
import type { Anchor } from '../../anchoring';
import { registryUnreachableWords } from '../anchor-state';
import type { CredentialContext } from '../context';
import { checkResult, type CheckResult } from '../result';
import { humanTime } from '../words';

function anchorData(anchor: Anchor): Record<string, unknown> {
  return { chain: anchor.chain, registry: anchor.registry, root: anchor.root, transaction: anchor.transaction, block: anchor.block };
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** Words for a credential without an anchor proof, by what the registry says of its issuer. */
async function withoutProof(ctx: CredentialContext): Promise<CheckResult> {
  const facts = await ctx.registry();
  const read = facts.read;
  if (read.kind === 'read' && read.answer.issuerRegistered && read.answer.issuerActive && read.answer.status === 'active') {
    const signature = await ctx.signature();
    // "Pending" promises that waiting helps: true only for a genuine, unrevoked credential of a registered, active issuer.
    if (signature.verified && signature.controllerIsIssuer === true) {
      return checkResult('anchor', 'skipped', 'ANCHOR_PENDING', `The issuer ${read.answer.issuerName} is registered, and the batch this credential belongs to is not anchored yet.`, {
        issuerDid: facts.issuerDid,
      });
    }
  }
  const why =
    read.kind !== 'read'
      ? 'and the registry could not tell whether its issuer may anchor'
      : !read.answer.issuerRegistered
        ? 'and its issuer is not in this registry, so nothing will anchor it here'
        : !read.answer.issuerActive
          ? `and its issuer ${read.answer.issuerName} is suspended, so it cannot anchor it now`
          : read.answer.status !== 'active'
            ? `and its issuer ${read.answer.issuerName} has ${read.answer.status} it`
            : 'and its signature is not its registered issuer’s';
  return checkResult('anchor', 'skipped', 'ANCHOR_ABSENT', `The credential carries no anchor proof, ${why}.`, { ...(facts.issuerDid ? { issuerDid: facts.issuerDid } : {}) });
}

/**
 * ANCHOR_FOUND (data {root, leaf, anchoredAt, anchoredBlock, transaction, …}); skipped ANCHOR_PENDING (no proof yet,
 * genuine, unrevoked credential of a registered, active issuer) or ANCHOR_ABSENT (no proof, any other case); failed
 * ANCHOR_PROOF_INVALID / ANCHOR_UNTRUSTED_REGISTRY / ANCHOR_PATH_MISMATCH / ANCHOR_ROOT_NOT_FOUND; error
 * ANCHOR_RPC_UNREACHABLE / ANCHOR_NO_READER / ANCHOR_LEAF_ERROR / ANCHOR_NODE_BEHIND (the node has not caught up yet).
 */
export async function anchorCheck(ctx: CredentialContext): Promise<CheckResult> {
  const facts = await ctx.registry();
  const { proof, read } = facts;
  if (proof.kind === 'absent') return withoutProof(ctx);
  if (proof.kind === 'malformed') return checkResult('anchor', 'failed', 'ANCHOR_PROOF_INVALID', `The anchor proof cannot be read: ${proof.message}`, { cause: proof.code });
  if (proof.kind === 'untrusted') {
    return checkResult('anchor', 'failed', 'ANCHOR_UNTRUSTED_REGISTRY', `The credential is anchored in registry ${proof.anchor.registry} on chain ${proof.chainId}, which this verifier does not trust.`, anchorData(proof.anchor));
  }
  if (proof.kind === 'path-mismatch') {
    return checkResult('anchor', 'failed', 'ANCHOR_PATH_MISMATCH', 'The credential does not belong to the anchored batch: it was changed after it was anchored, or the anchor proof is someone else’s.', {
      ...anchorData(proof.anchor),
      leaf: facts.leaf,
    });
  }
  const data = { ...anchorData(proof.anchor), leaf: facts.leaf, issuerDid: facts.issuerDid };
  switch (read.kind) {
    case 'not-read':
      return read.why === 'leaf-error'
        ? checkResult('anchor', 'error', 'ANCHOR_LEAF_ERROR', `The credential’s leaf could not be computed: ${read.message}`, anchorData(proof.anchor))
        : checkResult('anchor', 'failed', 'ANCHOR_NO_ISSUER', 'The credential names no issuer, so no issuer’s anchor can confirm it.', data);
    case 'no-reader':
      return checkResult('anchor', 'error', 'ANCHOR_NO_READER', `The registry ${proof.anchor.registry} on chain ${read.chainId ?? '?'} is trusted, but no RPC endpoint is configured for it.`, data);
    case 'unavailable':
      if (read.known) {
        return checkResult('anchor', 'passed', 'ANCHOR_FOUND', 'The credential’s issuer anchored its batch in the trusted registry (remembered from an earlier read; the registry is unreachable now).', {
          ...data,
          anchoredAt: iso(read.known.anchoredAt),
          anchoredBlock: read.known.anchoredBlock,
          cached: true,
        });
      }
      return checkResult('anchor', 'error', 'ANCHOR_RPC_UNREACHABLE', registryUnreachableWords(facts, 'the anchor'), { ...data, cause: read.code });
    case 'read': {
      const { answer } = read;
      if (answer.anchoredAt === 0) {
        if (read.behind) {
          return checkResult('anchor', 'error', 'ANCHOR_NODE_BEHIND', `This registry node is behind: it does not know the batch yet (the anchor proof names block ${proof.anchor.block}${read.latestBlock !== undefined ? `, the node is at block ${read.latestBlock}` : ', anchored moments ago'}). Try again later or ask another node.`, {
            ...data,
            ...(read.latestBlock !== undefined ? { latestBlock: read.latestBlock } : {}),
          });
        }
        return checkResult('anchor', 'failed', 'ANCHOR_ROOT_NOT_FOUND', 'The registry has no record that this credential’s issuer anchored the batch it claims to belong to.', data);
      }
      // The path was checked off-chain before the read (a mismatch never reaches here) and is not sent, so the
      // registry's leafInRoot is not consulted.
      return checkResult('anchor', 'passed', 'ANCHOR_FOUND', `The credential’s issuer anchored it in the trusted registry on ${humanTime(answer.anchoredAt)}.`, {
        ...data,
        anchoredAt: iso(answer.anchoredAt),
        anchoredBlock: answer.anchoredBlock,
      });
    }
  }
}
