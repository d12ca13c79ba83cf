// The anchor proof: where a credential's Merkle root was anchored, as a Data Integrity proof object, and its two carriers.
import canonicalize from 'canonicalize';
import { getAddress } from 'ethers';
import { MicrocredError, type ErrorCode } from '../errors';
import { ANCHOR_CRYPTOSUITE, isAnchorProof, proofsOf } from '../signing';
import type { CredentialFormat, CredentialRow } from '../store';
import { isObject } from '../json';

export { ANCHOR_CRYPTOSUITE };

/** The self-contained facts a verifier checks against the registry (see docs/anchoring.md). */
export interface Anchor {
  /** CAIP-2 chain id, `eip155:<chainId>`. */
  chain: string;
  /** The registry contract, EIP-55 checksummed. */
  registry: string;
  /** The anchored Merkle root, 0x + 64 lower-case hex. */
  root: string;
  /** Sorted-pair Merkle path from the credential's leaf to `root`; empty for a batch of one. */
  path: string[];
  /** Hash of the transaction that anchored `root`. */
  transaction: string;
  /** Number of the block holding that transaction. */
  block: number;
}

/** The anchor carried as a Data Integrity proof object. `verificationMethod` is omitted on purpose (see the docs). */
export interface AnchorProof {
  type: 'DataIntegrityProof';
  cryptosuite: typeof ANCHOR_CRYPTOSUITE;
  proofPurpose: 'assertionMethod';
  /** When the root was anchored: the block timestamp. */
  created: string;
  /** `u` + base64url (no padding) of the UTF-8 bytes of JCS(anchor). */
  proofValue: string;
}

/** The outcome of decoding: never throws. */
export type DecodedAnchorProof = { ok: true; anchor: Anchor; created: string } | { ok: false; code: ErrorCode; message: string };

/** A VC 2.0 envelope carrying a VC-JOSE credential with its anchor proof. */
export interface AnchoredEnvelope {
  '@context': ['https://www.w3.org/ns/credentials/v2'];
  type: 'EnvelopedVerifiableCredential';
  id: string;
  proof: AnchorProof;
}

/** Longest Merkle path accepted: 64 levels is far beyond any batch (2^64 leaves). */
export const MAX_ANCHOR_PATH = 64;
/** Longest proofValue accepted, so a hostile proof cannot make a verifier decode megabytes. */
export const MAX_PROOF_VALUE_LENGTH = 8192;

/** The media type prefix of an enveloped VC-JOSE credential's `id`. */
export const ENVELOPE_ID_PREFIX = 'data:application/vc+jwt,';
const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

const BYTES32 = /^0x[0-9a-f]{64}$/;
const CHAIN = /^eip155:([1-9][0-9]{0,15})$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const DATE_TIME_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const JWS_PART = /^[A-Za-z0-9_-]+$/;
const ANCHOR_KEYS = ['block', 'chain', 'path', 'registry', 'root', 'transaction'];
const PROOF_KEYS = new Set(['type', 'cryptosuite', 'proofPurpose', 'created', 'proofValue', 'id']);

type Check = { ok: true } | { ok: false; code: ErrorCode; message: string };
const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });

// Every anchor proof of a batch names the same registry: its EIP-55 check (a keccak in JavaScript) is done once.
const checksummed = new Map<string, boolean>();
function isChecksummed(address: string): boolean {
  let known = checksummed.get(address);
  if (known === undefined) {
    known = getAddress(address.toLowerCase()) === address;
    if (checksummed.size >= 1_000) checksummed.clear();
    checksummed.set(address, known);
  }
  return known;
}

const fail = (code: ErrorCode, message: string): { ok: false; code: ErrorCode; message: string } => ({ ok: false, code, message });

/** Checks every field of an anchor JSON value; the first problem found is returned with its stable code. */
export function checkAnchor(value: unknown): Check {
  if (!isObject(value)) return fail('ERR_ANCHOR_PROOF_FIELDS', 'The anchor must be a JSON object.');
  const keys = Object.keys(value).sort();
  if (keys.length !== ANCHOR_KEYS.length || keys.some((key, i) => key !== ANCHOR_KEYS[i])) {
    return fail('ERR_ANCHOR_PROOF_FIELDS', `The anchor must have exactly the fields ${ANCHOR_KEYS.join(', ')}.`);
  }
  const chain = value.chain;
  if (typeof chain !== 'string' || !CHAIN.test(chain) || !Number.isSafeInteger(Number(CHAIN.exec(chain)?.[1]))) {
    return fail('ERR_ANCHOR_PROOF_CHAIN', 'chain must be "eip155:" followed by a positive chain id.');
  }
  const registry = value.registry;
  if (typeof registry !== 'string' || !ADDRESS.test(registry) || !isChecksummed(registry)) {
    return fail('ERR_ANCHOR_PROOF_REGISTRY', 'registry must be a 0x address in EIP-55 checksum case.');
  }
  if (typeof value.root !== 'string' || !BYTES32.test(value.root)) {
    return fail('ERR_ANCHOR_PROOF_ROOT', 'root must be 0x followed by 64 lower-case hex digits.');
  }
  const path = value.path;
  if (!Array.isArray(path) || path.length > MAX_ANCHOR_PATH || !path.every((node) => typeof node === 'string' && BYTES32.test(node))) {
    return fail('ERR_ANCHOR_PROOF_PATH', `path must be an array of at most ${MAX_ANCHOR_PATH} values, each 0x followed by 64 lower-case hex digits.`);
  }
  if (typeof value.transaction !== 'string' || !BYTES32.test(value.transaction)) {
    return fail('ERR_ANCHOR_PROOF_TRANSACTION', 'transaction must be a transaction hash: 0x followed by 64 lower-case hex digits.');
  }
  if (typeof value.block !== 'number' || !Number.isSafeInteger(value.block) || value.block < 0) {
    return fail('ERR_ANCHOR_PROOF_BLOCK', 'block must be a non-negative integer block number.');
  }
  return { ok: true };
}

/** The proof's `created` value for a block timestamp (Unix seconds): ISO 8601 UTC without fractions. */
export function anchorCreated(blockTimestampSeconds: number): string {
  return new Date(blockTimestampSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The exact text whose UTF-8 bytes the proofValue carries: RFC 8785 JCS of the anchor. */
export function anchorCanonicalText(anchor: Anchor): string {
  const text = canonicalize(anchor);
  if (text === undefined) throw new MicrocredError('ERR_ANCHOR_PROOF_FIELDS', 'The anchor could not be canonicalised.');
  return text;
}

/** Builds the anchor proof object; throws ERR_ANCHOR_PROOF_* when `anchor` is malformed (a programming error). */
export function encodeAnchorProof(anchor: Anchor, created: Date | string): AnchorProof {
  const normalised: Anchor = {
    chain: anchor.chain,
    registry: typeof anchor.registry === 'string' && ADDRESS.test(anchor.registry) ? getAddress(anchor.registry.toLowerCase()) : anchor.registry,
    root: typeof anchor.root === 'string' ? anchor.root.toLowerCase() : anchor.root,
    path: Array.isArray(anchor.path) ? anchor.path.map((node) => (typeof node === 'string' ? node.toLowerCase() : node)) : anchor.path,
    transaction: typeof anchor.transaction === 'string' ? anchor.transaction.toLowerCase() : anchor.transaction,
    block: anchor.block,
  };
  const check = checkAnchor(normalised);
  if (!check.ok) throw new MicrocredError(check.code, check.message);
  const createdText = typeof created === 'string' ? created : created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (!DATE_TIME_STAMP.test(createdText) || Number.isNaN(Date.parse(createdText))) {
    throw new MicrocredError('ERR_ANCHOR_PROOF_CREATED', 'created must be an ISO 8601 date-time with a time zone.');
  }
  return {
    type: 'DataIntegrityProof',
    cryptosuite: ANCHOR_CRYPTOSUITE,
    proofPurpose: 'assertionMethod',
    created: createdText,
    proofValue: `u${Buffer.from(anchorCanonicalText(normalised), 'utf8').toString('base64url')}`,
  };
}

// Strict base64url: the alphabet only, no padding, and the canonical encoding of what it decodes to.
function decodeBase64Url(text: string): Buffer | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

/** Decodes and checks an anchor proof object field by field. Never throws; every failure has a stable code. */
export function decodeAnchorProof(proof: unknown): DecodedAnchorProof {
  try {
    if (!isObject(proof)) return fail('ERR_ANCHOR_PROOF_SHAPE', 'The anchor proof must be a JSON object.');
    const extra = Object.keys(proof).filter((key) => !PROOF_KEYS.has(key));
    if (extra.length > 0) return fail('ERR_ANCHOR_PROOF_SHAPE', `The anchor proof has unexpected fields: ${extra.slice(0, 5).join(', ')}.`);
    if (proof.type !== 'DataIntegrityProof') return fail('ERR_ANCHOR_PROOF_SHAPE', 'The anchor proof type must be DataIntegrityProof.');
    if (proof.cryptosuite !== ANCHOR_CRYPTOSUITE) return fail('ERR_ANCHOR_PROOF_SHAPE', `The anchor proof cryptosuite must be ${ANCHOR_CRYPTOSUITE}.`);
    if (proof.proofPurpose !== 'assertionMethod') return fail('ERR_ANCHOR_PROOF_SHAPE', 'The anchor proof purpose must be assertionMethod.');
    const created = proof.created;
    if (typeof created !== 'string' || !DATE_TIME_STAMP.test(created) || Number.isNaN(Date.parse(created))) {
      return fail('ERR_ANCHOR_PROOF_CREATED', 'created must be an ISO 8601 date-time with a time zone.');
    }
    const value = proof.proofValue;
    if (typeof value !== 'string' || value.length > MAX_PROOF_VALUE_LENGTH || !value.startsWith('u')) {
      return fail('ERR_ANCHOR_PROOF_VALUE', `proofValue must be "u" + base64url, at most ${MAX_PROOF_VALUE_LENGTH} characters.`);
    }
    const bytes = decodeBase64Url(value.slice(1));
    if (bytes === null) return fail('ERR_ANCHOR_PROOF_VALUE', 'proofValue is not unpadded base64url.');
    let text: string;
    try {
      text = UTF8_STRICT.decode(bytes);
    } catch {
      return fail('ERR_ANCHOR_PROOF_VALUE', 'proofValue does not decode to UTF-8 text.');
    }
    let anchor: unknown;
    try {
      anchor = JSON.parse(text);
    } catch {
      return fail('ERR_ANCHOR_PROOF_VALUE', 'proofValue does not decode to JSON.');
    }
    const check = checkAnchor(anchor);
    if (!check.ok) return check;
    // Only the one canonical encoding is accepted, so an anchor has exactly one proofValue.
    if (canonicalize(anchor) !== text) return fail('ERR_ANCHOR_PROOF_VALUE', 'proofValue is not the JCS (RFC 8785) form of the anchor.');
    return { ok: true, anchor: anchor as Anchor, created };
  } catch (error) {
    return fail('ERR_ANCHOR_PROOF_VALUE', `The anchor proof could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseDocument(document: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch (cause) {
    throw new MicrocredError('ERR_ANCHOR_DOCUMENT', 'A Data Integrity credential must be stored as JSON text.', { cause });
  }
  if (!isObject(parsed)) throw new MicrocredError('ERR_ANCHOR_DOCUMENT', 'A Data Integrity credential must be a JSON object.');
  return parsed;
}

function assertCompactJws(jws: string): void {
  const parts = jws.split('.');
  if (parts.length !== 3 || !parts.every((part) => JWS_PART.test(part))) {
    throw new MicrocredError('ERR_ANCHOR_DOCUMENT', 'A VC-JOSE credential must be a compact JWS: three base64url parts joined by dots.');
  }
}

/**
 * The anchored form of a stored credential. Data Integrity: the credential with `proof` turned into a set of its
 * signature proof(s) followed by the anchor proof (an older anchor proof is replaced). VC-JOSE: a VC 2.0
 * EnvelopedVerifiableCredential around the JWS carrying the anchor proof. Neither changes the credential's leaf.
 */
export function attachAnchorProof(format: CredentialFormat, document: string, proof: AnchorProof): Record<string, unknown> {
  if (format === 'di') {
    const credential = parseDocument(document);
    return { ...credential, proof: [...proofsOf(credential).filter((p: unknown) => !isAnchorProof(p)), proof] };
  }
  if (format === 'jose') {
    const jws = document.trim();
    assertCompactJws(jws);
    const envelope: AnchoredEnvelope = { '@context': [VC_V2_CONTEXT], type: 'EnvelopedVerifiableCredential', id: `${ENVELOPE_ID_PREFIX}${jws}`, proof };
    return envelope as unknown as Record<string, unknown>;
  }
  throw new MicrocredError('ERR_ANCHOR_DOCUMENT', `Unknown credential format ${String(format)}; expected di or jose.`);
}

/** True for a VC 2.0 EnvelopedVerifiableCredential object. */
export function isEnvelope(value: unknown): boolean {
  if (!isObject(value)) return false;
  const type = value.type;
  return type === 'EnvelopedVerifiableCredential' || (Array.isArray(type) && type.includes('EnvelopedVerifiableCredential'));
}

/** The anchor proof of an anchored credential or envelope (the object, not yet checked), or undefined. */
export function findAnchorProof(anchoredDocument: unknown): Record<string, unknown> | undefined {
  if (!isObject(anchoredDocument)) return undefined;
  return proofsOf(anchoredDocument).find((p): p is Record<string, unknown> => isAnchorProof(p) && isObject(p));
}

/** Splits an anchored envelope into its compact JWS and its anchor proof (undefined when it has none). */
export function unwrapEnvelope(envelope: unknown): { jws: string; anchorProof: Record<string, unknown> | undefined } {
  if (!isEnvelope(envelope)) throw new MicrocredError('ERR_ENVELOPE_INVALID', 'Expected an EnvelopedVerifiableCredential object.');
  const id = (envelope as Record<string, unknown>).id;
  if (typeof id !== 'string' || !id.startsWith(ENVELOPE_ID_PREFIX)) {
    throw new MicrocredError('ERR_ENVELOPE_INVALID', `The envelope id must be "${ENVELOPE_ID_PREFIX}" followed by a compact JWS.`);
  }
  const jws = id.slice(ENVELOPE_ID_PREFIX.length);
  try {
    assertCompactJws(jws);
  } catch (cause) {
    throw new MicrocredError('ERR_ENVELOPE_INVALID', 'The envelope does not hold a compact JWS.', { cause });
  }
  return { jws, anchorProof: findAnchorProof(envelope) };
}

/** A stored credential in its anchored form, or null while its batch is not anchored. */
export function anchoredCredential(row: Pick<CredentialRow, 'format' | 'document' | 'anchorProof'>): Record<string, unknown> | null {
  if (row.anchorProof === null) return null;
  return attachAnchorProof(row.format, row.document, JSON.parse(row.anchorProof) as AnchorProof);
}
