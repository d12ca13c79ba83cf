// Recognises what a verifier was given: a Data Integrity credential, a VC-JOSE JWS, an anchored envelope, a VC-COSE envelope or a presentation.
import { isEnvelope, unwrapEnvelope, findAnchorProof } from '../anchoring';
import { readCose } from '../signing';
import { isObject } from '../json';
import { costProblem } from './cost';

/** Largest input accepted, counted as the characters of its strings and keys (about its JSON size). */
export const MAX_INPUT_CHARS = 1024 * 1024;
/** Deepest nesting accepted; real credentials are fewer than 10 levels deep. */
export const MAX_INPUT_DEPTH = 48;
/** Most JSON values (objects, arrays, scalars) accepted in one input. */
export const MAX_INPUT_NODES = 50_000;
/** Most credentials accepted inside one presentation. */
export const MAX_PRESENTATION_CREDENTIALS = 50;

/** How the credential is secured. */
export type Securing = 'data-integrity' | 'vc-jose' | 'vc-jose-envelope' | 'vc-cose-envelope';

/** A credential the checks can work on. */
export interface ParsedCredential {
  readonly kind: 'credential';
  readonly securing: Securing;
  /** The credential object (for VC-JOSE: the JWS payload). */
  readonly credential: Record<string, unknown>;
  /** The compact JWS (VC-JOSE forms only). */
  readonly jws?: string;
  /** The COSE_Sign1 bytes (VC-COSE only). */
  readonly cose?: Uint8Array;
  /** The anchor proof object, not yet checked; undefined when the input carries none. */
  readonly anchorProof?: Record<string, unknown>;
}

/** A presentation: its own object, and each credential entry inside (unparsed). */
export interface ParsedPresentation {
  readonly kind: 'presentation';
  /** The presentation object (for VC-JOSE: the JWS payload). */
  readonly presentation: Record<string, unknown>;
  readonly entries: readonly unknown[];
  /** The compact JWS of a VC-JOSE presentation (`vp+jwt`, or inside an EnvelopedVerifiablePresentation). */
  readonly jws?: string;
}

/** The media type prefix of an EnvelopedVerifiablePresentation's `id` (VC-JOSE-COSE). */
export const VP_ENVELOPE_ID_PREFIX = 'data:application/vp+jwt,';
/** The media type prefix of a COSE-secured credential's envelope `id` (VC-JOSE-COSE § 3.3). */
export const VC_COSE_ENVELOPE_ID_PREFIX = 'data:application/vc+cose;base64,';
const VP_TYPS = new Set(['vp+jwt', 'application/vp+jwt', 'vp+ld+json+jwt', 'application/vp+ld+json+jwt']);

/** What could not be recognised, with a stable PARSE_* code. */
export interface ParseFailure {
  readonly kind: 'unknown';
  readonly code: string;
  readonly message: string;
}

/** The result of {@link parseInput}. */
export type ParsedInput = ParsedCredential | ParsedPresentation | ParseFailure;

const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;


function hasType(value: Record<string, unknown>, name: string): boolean {
  const type = value.type;
  return type === name || (Array.isArray(type) && type.includes(name));
}

const unknown = (code: string, message: string): ParseFailure => ({ kind: 'unknown', code, message });

/**
 * Walks `value` iteratively (no recursion, so no stack overflow) and says whether it is within the size, depth and
 * node bounds. A cyclic object (only possible from a programmatic caller) stops at the depth bound.
 */
export function checkBounds(value: unknown): ParseFailure | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  let nodes = 0;
  let chars = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (++nodes > MAX_INPUT_NODES) return unknown('PARSE_TOO_LARGE', `The input has more than ${MAX_INPUT_NODES} values; no credential is that large.`);
    if (depth > MAX_INPUT_DEPTH) return unknown('PARSE_TOO_DEEP', `The input is nested more than ${MAX_INPUT_DEPTH} levels deep; no credential is.`);
    if (typeof node === 'string') chars += node.length;
    else if (Array.isArray(node)) for (const item of node) stack.push({ node: item, depth: depth + 1 });
    else if (typeof node === 'object' && node !== null) {
      for (const [key, item] of Object.entries(node)) {
        chars += key.length;
        stack.push({ node: item, depth: depth + 1 });
      }
    }
    if (chars > MAX_INPUT_CHARS) return unknown('PARSE_TOO_LARGE', `The input is larger than ${MAX_INPUT_CHARS} characters; no credential is that large.`);
  }
  return undefined;
}

function decodeJwsPart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function parseJws(jws: string, anchorProof: Record<string, unknown> | undefined, envelope: boolean): ParsedInput {
  const [headerPart, payloadPart] = jws.split('.');
  const header = decodeJwsPart(headerPart!);
  if (!isObject(header)) return unknown('PARSE_JWS_MALFORMED', 'The JWS header is not base64url-encoded JSON.');
  if (header.typ === 'vp+sd-jwt' || header.typ === 'vc+sd-jwt') {
    return unknown('PARSE_UNSUPPORTED_FORMAT', 'SD-JWT is not supported; send a VC-JOSE (vc+jwt / vp+jwt) or Data Integrity credential or presentation.');
  }
  const payload = decodeJwsPart(payloadPart!);
  if (!isObject(payload)) return unknown('PARSE_JWS_MALFORMED', 'The JWS payload is not base64url-encoded JSON.');
  const bounds = checkBounds(payload);
  if (bounds) return bounds;
  if ((typeof header.typ === 'string' && VP_TYPS.has(header.typ)) || hasType(payload, 'VerifiablePresentation')) {
    if (envelope || anchorProof) return unknown('PARSE_ENVELOPE_MALFORMED', 'A credential envelope holds a presentation; use an EnvelopedVerifiablePresentation.');
    return presentationOf(payload, jws);
  }
  if (!hasType(payload, 'VerifiableCredential')) {
    return unknown('PARSE_UNKNOWN_FORMAT', 'The JWS payload is not a Verifiable Credential (its type does not include VerifiableCredential).');
  }
  return {
    kind: 'credential',
    securing: envelope ? 'vc-jose-envelope' : 'vc-jose',
    credential: payload,
    jws,
    ...(anchorProof ? { anchorProof } : {}),
  };
}

function presentationOf(value: Record<string, unknown>, jws: string | undefined): ParsedInput {
  const inner = value.verifiableCredential;
  const entries: unknown[] = inner === undefined || inner === null ? [] : Array.isArray(inner) ? inner : [inner];
  if (entries.length > MAX_PRESENTATION_CREDENTIALS) {
    return unknown('PARSE_TOO_LARGE', `The presentation holds more than ${MAX_PRESENTATION_CREDENTIALS} credentials; verify them in smaller sets.`);
  }
  return jws === undefined ? { kind: 'presentation', presentation: value, entries } : { kind: 'presentation', presentation: value, entries, jws };
}

/** A VC-COSE credential from its data URL: the COSE_Sign1 decoded (not verified) and its JSON payload read. */
function parseCoseDataUrl(id: string): ParsedInput {
  const base64 = id.slice(VC_COSE_ENVELOPE_ID_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return unknown('PARSE_ENVELOPE_MALFORMED', `A VC-COSE envelope id is "${VC_COSE_ENVELOPE_ID_PREFIX}" followed by the base64 of a COSE_Sign1.`);
  const cose = new Uint8Array(Buffer.from(base64, 'base64'));
  const read = readCose(cose);
  if ('problem' in read) return unknown('PARSE_ENVELOPE_MALFORMED', read.problem);
  const bounds = checkBounds(read.credential);
  if (bounds) return bounds;
  if (!hasType(read.credential, 'VerifiableCredential')) return unknown('PARSE_UNKNOWN_FORMAT', 'The COSE payload is not a Verifiable Credential (its type does not include VerifiableCredential).');
  return { kind: 'credential', securing: 'vc-cose-envelope', credential: read.credential, cose };
}

function parseObject(value: Record<string, unknown>): ParsedInput {
  const bounds = checkBounds(value);
  if (bounds) return bounds;
  if (isEnvelope(value) && typeof value.id === 'string' && value.id.startsWith(VC_COSE_ENVELOPE_ID_PREFIX)) return parseCoseDataUrl(value.id);
  if (isEnvelope(value)) {
    let unwrapped: ReturnType<typeof unwrapEnvelope>;
    try {
      unwrapped = unwrapEnvelope(value);
    } catch {
      return unknown('PARSE_ENVELOPE_MALFORMED', 'The envelope must have an id "data:application/vc+jwt," followed by a compact JWS.');
    }
    return parseJws(unwrapped.jws, unwrapped.anchorProof, true);
  }
  if (hasType(value, 'EnvelopedVerifiablePresentation')) {
    const id = value.id;
    const jws = typeof id === 'string' && id.startsWith(VP_ENVELOPE_ID_PREFIX) ? id.slice(VP_ENVELOPE_ID_PREFIX.length) : '';
    if (!JWS.test(jws)) return unknown('PARSE_ENVELOPE_MALFORMED', `The presentation envelope must have an id "${VP_ENVELOPE_ID_PREFIX}" followed by a compact JWS.`);
    const parsed = parseJws(jws, undefined, false);
    return parsed.kind === 'presentation' ? parsed : unknown('PARSE_ENVELOPE_MALFORMED', 'The presentation envelope does not hold a presentation.');
  }
  if (hasType(value, 'VerifiablePresentation')) return presentationOf(value, undefined);
  if (hasType(value, 'VerifiableCredential')) {
    const costly = costProblem(value);
    if (costly) return costly;
    const anchorProof = findAnchorProof(value);
    return { kind: 'credential', securing: 'data-integrity', credential: value, ...(anchorProof ? { anchorProof } : {}) };
  }
  return unknown('PARSE_UNKNOWN_FORMAT', 'This is not a credential, an envelope or a presentation: its type includes neither VerifiableCredential nor VerifiablePresentation.');
}

/**
 * Recognises the input. Strings are a compact JWS or JSON text; objects are a credential, an envelope or a
 * presentation. Never throws.
 */
export function parseInput(input: unknown): ParsedInput {
  try {
    if (typeof input === 'string') {
      const text = input.trim();
      if (text.length > MAX_INPUT_CHARS) return unknown('PARSE_TOO_LARGE', `The input is larger than ${MAX_INPUT_CHARS} characters; no credential is that large.`);
      if (JWS.test(text)) return parseJws(text, undefined, false);
      if (text.startsWith(VC_COSE_ENVELOPE_ID_PREFIX)) return parseCoseDataUrl(text);
      if (text.startsWith('{')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return unknown('PARSE_JSON_INVALID', 'The text starts like JSON but is not valid JSON.');
        }
        return isObject(parsed) ? parseObject(parsed) : unknown('PARSE_UNKNOWN_FORMAT', 'The JSON is not an object.');
      }
      return unknown('PARSE_UNKNOWN_FORMAT', 'The text is neither a compact JWS, a VC-COSE data URL nor a JSON credential.');
    }
    if (isObject(input)) return parseObject(input);
    return unknown('PARSE_UNKNOWN_FORMAT', 'Expected a credential, an envelope or a presentation object, or a compact JWS string.');
  } catch (error) {
    return unknown('PARSE_ERROR', `The input could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The issuer id of a credential (`issuer` as a string or `issuer.id`). */
export function issuerIdOf(credential: Record<string, unknown>): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  if (isObject(issuer) && typeof issuer.id === 'string') return issuer.id;
  return undefined;
}
