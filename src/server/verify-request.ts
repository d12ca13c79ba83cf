// The request shapes of the verifier API, parsed with zod: what is verified, and with which options.
import { z } from 'zod';
import type { VerifyOptions } from '../verify';
import { ProblemError } from './problem';
import type { ReadBody } from './request-body';

/** What one verification request asks for: the input handed to the verifier, and its options. */
export interface VerifyRequest {
  /** A credential, envelope or presentation object, or a compact JWS string. Passed to the verifier untouched. */
  readonly input: unknown;
  readonly options: VerifyOptions;
  /** VC-API `options.returnPresentation`: echo the presentation in the answer. */
  readonly returnPresentation?: boolean;
}

/** Longest compact JWS accepted as a string (the body limit caps it anyway). */
const MAX_JWS_CHARS = 1024 * 1024;

// z.custom keeps the caller's object as is: a copying schema could assign a hostile "__proto__" key onto the copy.
const jsonObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { message: 'expected a JSON object' },
);
const jws = z.string().trim().min(1, 'expected a non-empty compact JWS').max(MAX_JWS_CHARS);
const credentialOrJws = z.union([jsonObject, jws]);
const proofOptions = z.object({
  challenge: z.string().max(1024).optional(),
  domain: z.string().max(1024).optional(),
  returnPresentation: z.boolean().optional(),
});

/** VC-API `POST /credentials/verify` body. `verifiableCredential` may also be a compact JWS string (our extension). */
export const vcApiVerifyCredentialRequest = z.object({
  verifiableCredential: credentialOrJws,
  options: jsonObject.optional(),
});

/** VC-API `POST /presentations/verify` body. */
export const vcApiVerifyPresentationRequest = z.object({
  verifiablePresentation: credentialOrJws,
  options: proofOptions.optional(),
});

/** Wrapper forms accepted by `POST /v1/verify` beside a bare credential, envelope or presentation. */
const v1Wrapper = z.union([
  z.object({ credential: credentialOrJws, options: proofOptions.optional() }).strict(),
  z.object({ verifiableCredential: credentialOrJws, options: proofOptions.optional() }).strict(),
  z.object({ verifiablePresentation: credentialOrJws, options: proofOptions.optional() }).strict(),
]);
const WRAPPER_KEYS = new Set(['credential', 'verifiableCredential', 'verifiablePresentation', 'options']);

/** Throws ERR_INVALID_REQUEST with the first few zod issues (paths name only our own schema keys). */
function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  throw new ProblemError('ERR_INVALID_REQUEST', `The body is not ${what}.`, { details: { issues } });
}

function optionsOf(options: { challenge?: string | undefined; domain?: string | undefined } | undefined): VerifyOptions {
  const out: { challenge?: string; domain?: string } = {};
  if (options?.challenge !== undefined) out.challenge = options.challenge;
  if (options?.domain !== undefined) out.domain = options.domain;
  return out;
}

/**
 * `POST /v1/verify`: a text body is a compact JWS; a JSON string is a compact JWS; a JSON object whose only keys are
 * one of `credential`, `verifiableCredential`, `verifiablePresentation` (plus `options`) is a wrapper; any other JSON
 * object is the credential, envelope or presentation itself. Anything else is ERR_INVALID_REQUEST.
 */
export function parseV1Request(body: ReadBody): VerifyRequest {
  if (body.kind === 'text') return { input: parseOrThrow(jws, body.value, 'a compact JWS'), options: {} };
  const value = body.value;
  if (typeof value === 'string') return { input: parseOrThrow(jws, value, 'a compact JWS'), options: {} };
  const object = parseOrThrow(jsonObject, value, 'a credential, presentation, envelope or JWS');
  const keys = Object.keys(object);
  const isWrapper = keys.length > 0 && keys.every((key) => WRAPPER_KEYS.has(key));
  if (!isWrapper) return { input: object, options: {} };
  const wrapper = parseOrThrow(v1Wrapper, object, 'a verification request ({credential}, {verifiableCredential} or {verifiablePresentation})');
  const input = 'credential' in wrapper ? wrapper.credential : 'verifiableCredential' in wrapper ? wrapper.verifiableCredential : wrapper.verifiablePresentation;
  return { input, options: optionsOf(wrapper.options) };
}

/** `POST /credentials/verify` (VC-API). */
export function parseVcApiCredentialRequest(body: ReadBody): VerifyRequest {
  const request = parseOrThrow(vcApiVerifyCredentialRequest, body.kind === 'json' ? body.value : undefined, 'a VC-API verify-credential request ({verifiableCredential, options?})');
  return { input: request.verifiableCredential, options: {} };
}

/** `POST /presentations/verify` (VC-API). */
export function parseVcApiPresentationRequest(body: ReadBody): VerifyRequest {
  const request = parseOrThrow(
    vcApiVerifyPresentationRequest,
    body.kind === 'json' ? body.value : undefined,
    'a VC-API verify-presentation request ({verifiablePresentation, options?: {challenge?, domain?}})',
  );
  const returnPresentation = request.options?.returnPresentation;
  return returnPresentation === undefined
    ? { input: request.verifiablePresentation, options: optionsOf(request.options) }
    : { input: request.verifiablePresentation, options: optionsOf(request.options), returnPresentation };
}
