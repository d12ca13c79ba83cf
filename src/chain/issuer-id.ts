// Issuer ids: `keccak256(bytes(did))`, the registry's name for an issuer, computed locally from its DID.
import { id as keccakText } from 'ethers';
import { MicrocredError } from '../errors';
import type { IssuerRef } from './types';

const ISSUER_ID = /^0x[0-9a-fA-F]{64}$/;

/** The issuer id of `did`, as the contract computes it: keccak256 of the DID's UTF-8 bytes (0x + 64 lower-case hex). */
export function issuerIdOf(did: string): string {
  if (did === '') throw new MicrocredError('ERR_EMPTY_DID', 'An issuer DID must not be empty.');
  return keccakText(did);
}

/**
 * The issuer id an {@link IssuerRef} names: an issuer id is returned lower-cased, a DID (`did:…`) is hashed. Anything
 * else (an operator address, say) throws ERR_ISSUER_REF rather than silently naming an issuer nobody registered.
 */
export function toIssuerId(issuer: IssuerRef): string {
  if (ISSUER_ID.test(issuer)) return issuer.toLowerCase();
  if (issuer.startsWith('did:')) return issuerIdOf(issuer);
  throw new MicrocredError('ERR_ISSUER_REF', `${issuer} names no issuer: give the issuer's DID (did:…) or its issuer id (0x + 64 hex); for an operator address, ask issuerOfOperator.`, {
    details: { issuer },
  });
}
