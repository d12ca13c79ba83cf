// The VC Data Model 2.0 rules microcred enforces on every credential it issues or verifies, one problem per violation.
import { VC_V1_CONTEXT, VC_V2_CONTEXT } from '../contexts';

/** VC Data Model 2.0 § 7.1 verification error types used here. */
export type VcdmErrorType = 'PARSING_ERROR' | 'MALFORMED_VALUE_ERROR' | 'RANGE_ERROR';

/** One violated rule: its VC DM error type, where (a JSON path such as `credentialStatus[0].type`) and why. */
export interface VcdmProblem {
  readonly type: VcdmErrorType;
  readonly path: string;
  readonly message: string;
}

// XML Schema dateTimeStamp: a date-time that carries a time zone.
const DATE_TIME_STAMP = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
// A URL in the wide sense VC uses: a scheme, a colon and no white space (urn:, did:, https:).
const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
// A BCP 47 language tag, loosely (the shape, not the registry).
const LANGUAGE = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
/** Members whose objects must each have a `type`, and whether they also need an `id`. */
const TYPED_MEMBERS: ReadonlyArray<readonly [string, boolean]> = [
  ['credentialStatus', false],
  ['termsOfUse', false],
  ['evidence', false],
  ['refreshService', false],
  ['credentialSchema', true],
];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isUrl = (value: unknown): value is string => typeof value === 'string' && value.length <= 4096 && URL_LIKE.test(value);
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

function isTypeValue(value: unknown): boolean {
  return (typeof value === 'string' && value !== '') || (Array.isArray(value) && value.length > 0 && value.every((t) => typeof t === 'string' && t !== ''));
}

/** A string, a language value object `{"@value", "@language"?, "@direction"?}`, or a non-empty array of those. */
function isLanguageText(value: unknown): boolean {
  const one = (v: unknown): boolean =>
    typeof v === 'string' ||
    (isObject(v) &&
      typeof v['@value'] === 'string' &&
      (v['@language'] === undefined || (typeof v['@language'] === 'string' && LANGUAGE.test(v['@language']))) &&
      (v['@direction'] === undefined || v['@direction'] === 'ltr' || v['@direction'] === 'rtl') &&
      Object.keys(v).every((k) => k === '@value' || k === '@language' || k === '@direction'));
  return Array.isArray(value) ? value.length > 0 && value.every(one) : one(value);
}

function checkContext(credential: Record<string, unknown>, out: VcdmProblem[]): 'v1' | 'v2' | undefined {
  const contexts = credential['@context'];
  if (!Array.isArray(contexts) || contexts.length === 0) {
    out.push({ type: 'PARSING_ERROR', path: '@context', message: `must be an ordered list whose first item is ${VC_V2_CONTEXT}` });
    return undefined;
  }
  const first: unknown = contexts[0];
  const version = first === VC_V2_CONTEXT ? 'v2' : first === VC_V1_CONTEXT ? 'v1' : undefined;
  if (version === undefined) out.push({ type: 'MALFORMED_VALUE_ERROR', path: '@context[0]', message: `must be ${VC_V2_CONTEXT} (or ${VC_V1_CONTEXT} for VC 1.1)` });
  contexts.forEach((item, index) => {
    if (index > 0 && (item === VC_V2_CONTEXT || item === VC_V1_CONTEXT)) {
      out.push({ type: 'MALFORMED_VALUE_ERROR', path: `@context[${index}]`, message: 'the base VC context may appear only first' });
    } else if (!isUrl(item) && !isObject(item)) {
      out.push({ type: 'MALFORMED_VALUE_ERROR', path: `@context[${index}]`, message: 'must be a URL or a context object' });
    }
  });
  return version;
}

function checkDates(credential: Record<string, unknown>, version: 'v1' | 'v2' | undefined, out: VcdmProblem[]): void {
  const [fromKey, untilKey] = version === 'v1' ? ['issuanceDate', 'expirationDate'] : ['validFrom', 'validUntil'];
  const parsed: Record<string, number> = {};
  for (const key of [fromKey, untilKey]) {
    const value = credential[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !DATE_TIME_STAMP.test(value) || Number.isNaN(Date.parse(value))) {
      out.push({ type: 'MALFORMED_VALUE_ERROR', path: key, message: 'must be an XML Schema dateTimeStamp (a date-time with a time zone, e.g. 2025-03-01T00:00:00Z)' });
    } else {
      parsed[key] = Date.parse(value);
    }
  }
  if (version === 'v1' && credential.issuanceDate === undefined) out.push({ type: 'MALFORMED_VALUE_ERROR', path: 'issuanceDate', message: 'is required in a VC 1.1 credential' });
  const from = parsed[fromKey];
  const until = parsed[untilKey];
  if (from !== undefined && until !== undefined && until < from) {
    out.push({ type: 'RANGE_ERROR', path: untilKey, message: `must not be before ${fromKey}` });
  }
}

function checkTypedMembers(credential: Record<string, unknown>, out: VcdmProblem[]): void {
  for (const [member, needsId] of TYPED_MEMBERS) {
    const value = credential[member];
    if (value === undefined) continue;
    const items = listOf(value);
    if (items.length === 0) out.push({ type: 'MALFORMED_VALUE_ERROR', path: member, message: 'must not be an empty list' });
    items.forEach((item, index) => {
      const path = Array.isArray(value) ? `${member}[${index}]` : member;
      if (!isObject(item)) {
        out.push({ type: 'MALFORMED_VALUE_ERROR', path, message: 'must be an object (or a list of objects)' });
        return;
      }
      if (!isTypeValue(item.type)) out.push({ type: 'MALFORMED_VALUE_ERROR', path: `${path}.type`, message: 'is required: a type name or a list of them' });
      if (item.id !== undefined && !isUrl(item.id)) out.push({ type: 'MALFORMED_VALUE_ERROR', path: `${path}.id`, message: 'must be a single URL' });
      if (needsId && item.id === undefined) out.push({ type: 'MALFORMED_VALUE_ERROR', path: `${path}.id`, message: 'is required' });
    });
  }
}

function checkRelatedResources(credential: Record<string, unknown>, out: VcdmProblem[]): void {
  const value = credential.relatedResource;
  if (value === undefined) return;
  listOf(value).forEach((item, index) => {
    const path = Array.isArray(value) ? `relatedResource[${index}]` : 'relatedResource';
    if (!isObject(item) || !isUrl(item.id)) {
      out.push({ type: 'MALFORMED_VALUE_ERROR', path: `${path}.id`, message: 'each related resource needs an id URL' });
      return;
    }
    const sri = item.digestSRI;
    const multibase = item.digestMultibase;
    if (sri === undefined && multibase === undefined) out.push({ type: 'MALFORMED_VALUE_ERROR', path, message: 'needs digestSRI or digestMultibase' });
    if (sri !== undefined && (typeof sri !== 'string' || !/^sha(256|384|512)-[A-Za-z0-9+/]+=*$/.test(sri))) {
      out.push({ type: 'MALFORMED_VALUE_ERROR', path: `${path}.digestSRI`, message: 'must be a Subresource Integrity value such as sha384-…' });
    }
    if (multibase !== undefined && (typeof multibase !== 'string' || !/^[zu][A-Za-z0-9_-]+$/.test(multibase))) {
      out.push({ type: 'MALFORMED_VALUE_ERROR', path: `${path}.digestMultibase`, message: 'must be a multibase string (z… or u…)' });
    }
  });
}

/**
 * Every VC Data Model rule microcred enforces, on an unsecured or secured credential (the `proof` is not looked at):
 * `@context` first and ordering; `id` a single URL; `type` present and well-formed, also on credentialStatus,
 * termsOfUse, evidence, refreshService, credentialSchema; `name`/`description` strings or language values (also on
 * the issuer); `issuer` a URL or an object with an id URL; `credentialSubject` a non-empty object or list; the dates
 * as dateTimeStamp and in order; `relatedResource` with a digest. VC 1.1 credentials are held to the 1.1 dates.
 * Returns [] when every rule holds. Never throws.
 */
export function vcdmProblems(credential: unknown): VcdmProblem[] {
  const out: VcdmProblem[] = [];
  if (!isObject(credential)) return [{ type: 'PARSING_ERROR', path: '', message: 'a credential must be a JSON object' }];
  const version = checkContext(credential, out);
  if (credential.id !== undefined && !isUrl(credential.id)) out.push({ type: 'MALFORMED_VALUE_ERROR', path: 'id', message: 'must be a single URL' });
  const type = credential.type;
  if (!isTypeValue(type)) out.push({ type: 'MALFORMED_VALUE_ERROR', path: 'type', message: 'is required: a type name or a list of them' });
  else if (!listOf(type).includes('VerifiableCredential')) out.push({ type: 'MALFORMED_VALUE_ERROR', path: 'type', message: 'must include VerifiableCredential' });
  for (const key of ['name', 'description']) {
    if (credential[key] !== undefined && !isLanguageText(credential[key])) out.push({ type: 'MALFORMED_VALUE_ERROR', path: key, message: 'must be a string or language values ({"@value", "@language"})' });
  }
  const issuer = credential.issuer;
  if (isObject(issuer)) {
    if (!isUrl(issuer.id)) out.push({ type: 'MALFORMED_VALUE_ERROR', path: 'issuer.id', message: 'must be a URL' });
    for (const key of ['name', 'description']) {
      if (issuer[key] !== undefined && !isLanguageText(issuer[key])) out.push({ type: 'MALFORMED_VALUE_ERROR', path: `issuer.${key}`, message: 'must be a string or language values' });
    }
  } else if (!isUrl(issuer)) {
    out.push({ type: 'MALFORMED_VALUE_ERROR', path: 'issuer', message: 'must be a URL or an object with an id URL' });
  }
  const subject = credential.credentialSubject;
  const subjects = listOf(subject);
  if (subject === undefined || subjects.length === 0 || !subjects.every((s) => isObject(s) && Object.keys(s).length > 0)) {
    out.push({ type: 'MALFORMED_VALUE_ERROR', path: 'credentialSubject', message: 'must be a non-empty object or a non-empty list of them' });
  }
  checkDates(credential, version, out);
  checkTypedMembers(credential, out);
  checkRelatedResources(credential, out);
  return out;
}

/**
 * The VC Data Model 2.0 rules for a presentation (§ 4.13), one problem per violation: `@context` first and ordering;
 * `id` a single URL; `type` well-formed and including VerifiablePresentation; `holder` a URL or an object with an id
 * URL; typed `termsOfUse`/`evidence`. The credentials inside are checked one by one as credentials. Never throws.
 */
export function vpProblems(presentation: unknown): VcdmProblem[] {
  const out: VcdmProblem[] = [];
  if (!isObject(presentation)) return [{ type: 'PARSING_ERROR', path: '', message: 'a presentation must be a JSON object' }];
  checkContext(presentation, out);
  if (presentation.id !== undefined && !isUrl(presentation.id)) out.push({ type: 'MALFORMED_VALUE_ERROR', path: 'id', message: 'must be a single URL' });
  const type = presentation.type;
  if (!isTypeValue(type)) out.push({ type: 'MALFORMED_VALUE_ERROR', path: 'type', message: 'is required: a type name or a list of them' });
  else if (!listOf(type).includes('VerifiablePresentation')) out.push({ type: 'MALFORMED_VALUE_ERROR', path: 'type', message: 'must include VerifiablePresentation' });
  const holder = presentation.holder;
  if (holder !== undefined && !(isObject(holder) ? isUrl(holder.id) : isUrl(holder))) {
    out.push({ type: 'MALFORMED_VALUE_ERROR', path: 'holder', message: 'must be a URL or an object with an id URL' });
  }
  checkTypedMembers(presentation, out);
  return out;
}
