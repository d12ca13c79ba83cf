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
 * The issuer id an {@link IssuerRef} names: an issuer id is returned lower-cased, anything else is taken as a DID and
 * hashed. A DID can never look like an id (DIDs start with `did:`).
 */
export function toIssuerId(issuer: IssuerRef): string {
  return ISSUER_ID.test(issuer) ? issuer.toLowerCase() : issuerIdOf(issuer);
}
