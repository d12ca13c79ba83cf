// The anchoring leaf of a credential: keccak256 of the RFC 8785 (JCS) form of the credential without its proofs.
import canonicalize from 'canonicalize';
import { createKeccakHash } from './keccak';
import { MicrocredError } from '../errors';

/** The credential object a leaf is computed from: a Data Integrity credential or a VC-JOSE compact JWS (its payload). */
export type LeafInput = Record<string, unknown> | string;

function credentialOf(input: LeafInput): Record<string, unknown> {
  if (typeof input === 'string') {
    const parts = input.trim().split('.');
    if (parts.length !== 3) throw new MicrocredError('ERR_LEAF_INPUT', 'A string leaf input must be a compact JWS (three dot-separated parts).');
    try {
      input = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch (cause) {
      throw new MicrocredError('ERR_LEAF_INPUT', 'The JWS payload is not JSON.', { cause });
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new MicrocredError('ERR_LEAF_INPUT', 'A leaf is computed from a credential object or a JWS.');
  }
  return input;
}

/** The exact UTF-8 text that is hashed: JCS of the credential with its top-level `proof` removed. */
export function leafCanonicalText(input: LeafInput): string {
  const { proof: _proof, ...unsecured } = credentialOf(input);
  let text: string | undefined;
  try {
    text = canonicalize(unsecured);
  } catch (cause) {
    throw new MicrocredError('ERR_LEAF_INPUT', 'The credential could not be canonicalised (JCS): it holds a value JSON cannot carry.', { cause });
  }
  if (text === undefined) throw new MicrocredError('ERR_LEAF_INPUT', 'The credential could not be canonicalised (JCS).');
  return text;
}

/** keccak256(UTF-8(JCS(credential without `proof`))) as 0x-prefixed bytes32 hex; same for DI and JOSE forms. */
export function credentialLeaf(input: LeafInput): `0x${string}` {
  // The native keccak binding (with its own JS fallback) is ~15x faster than a pure-JS keccak on a ~1.6 KB credential;
  // at issuance that is the difference between the leaf and the signature being the costliest step.
  return `0x${createKeccakHash('keccak256').update(leafCanonicalText(input), 'utf8').digest('hex')}`;
}
