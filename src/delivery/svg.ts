// Open Badges 3.0 SVG baking: the credential in an <openbadges:credential> element right after the <svg> start tag.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MicrocredError, type ErrorCode } from '../errors';
import { ANCHOR_SVG_NAMESPACE, OB3_SVG_NAMESPACE, fromCarriers, toPayload } from './payload';

const CREDENTIAL_ELEMENT = 'openbadges:credential';
const ANCHOR_ELEMENT = 'microcred:anchorProof';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  cdataPropName: '#cdata',
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when `text` looks like XML (after a byte-order mark and white space, it starts with `<`). */
export function looksLikeXml(text: string): boolean {
  return /^\uFEFF?\s*</.test(text);
}

function parseSvg(text: string, code: ErrorCode): Record<string, unknown> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new MicrocredError(code, `The SVG is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}).`);
  let document: unknown;
  try {
    document = parser.parse(text);
  } catch (cause) {
    throw new MicrocredError(code, `The SVG could not be read: ${cause instanceof Error ? cause.message : String(cause)}.`, { cause });
  }
  const root = isObject(document) ? document.svg : undefined;
  if (root === undefined) throw new MicrocredError(code, 'The file is XML but its root element is not <svg>.');
  return isObject(root) ? root : {};
}

// The end of the root <svg ...> start tag: skips the prolog (declaration, comments, doctype), then reads the tag with
// quoted attribute values, which may legally contain ">". The document was validated before this runs.
function rootStartTag(text: string): { start: number; end: number; selfClosing: boolean } {
  // Comments, processing instructions and the doctype are blanked out (same length) so an "<svg" inside them is skipped.
  const prolog = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/g;
  const start = text.replace(prolog, (match) => ' '.repeat(match.length)).search(/<svg[\s/>]/);
  if (start < 0) throw new MicrocredError('ERR_BAKE_IMAGE', 'The SVG has no <svg> start tag.');
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return { start, end: i, selfClosing: text[i - 1] === '/' };
  }
  throw new MicrocredError('ERR_BAKE_IMAGE', 'The <svg> start tag is not closed.');
}

const escapeAttribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
// "]]>" can only occur inside a JSON string, where "\u003e" means the same ">": the parsed credential is unchanged.
const cdata = (json: string): string => `<![CDATA[${json.replace(/\]\]>/g, ']]\\u003e')}]]>`;

/**
 * Bakes a credential into an SVG badge image: adds `xmlns:openbadges` to the root and, directly after its start tag,
 * `<openbadges:credential>` holding the Data Integrity JSON as CDATA, or (VC-JOSE) a `verify` attribute with the
 * compact JWS, followed by `<microcred:anchorProof>` with the anchor proof. Throws ERR_BAKE_IMAGE,
 * ERR_BAKE_ALREADY_BAKED or ERR_BAKE_CREDENTIAL.
 */
export function bakeSvg(image: string, credential: Record<string, unknown> | string): string {
  const payload = toPayload(credential);
  const root = parseSvg(image, 'ERR_BAKE_IMAGE');
  if (root[CREDENTIAL_ELEMENT] !== undefined || root[ANCHOR_ELEMENT] !== undefined) {
    throw new MicrocredError('ERR_BAKE_ALREADY_BAKED', 'The image already carries a credential; bake into the unbaked badge image.');
  }
  const declared = root['@_xmlns:openbadges'];
  if (declared !== undefined && declared !== OB3_SVG_NAMESPACE) {
    throw new MicrocredError('ERR_BAKE_IMAGE', `The SVG binds the prefix "openbadges" to ${typeof declared === 'string' ? declared.slice(0, 100) : 'something else'}, not ${OB3_SVG_NAMESPACE}.`);
  }
  const element = payload.kind === 'json'
    ? `<${CREDENTIAL_ELEMENT}>${cdata(payload.json)}</${CREDENTIAL_ELEMENT}>`
    : `<${CREDENTIAL_ELEMENT} verify="${escapeAttribute(payload.jws)}"></${CREDENTIAL_ELEMENT}>` +
      (payload.anchorProof === undefined ? '' : `<${ANCHOR_ELEMENT} xmlns:microcred="${ANCHOR_SVG_NAMESPACE}">${cdata(payload.anchorProof)}</${ANCHOR_ELEMENT}>`);
  const tag = rootStartTag(image);
  const attributes = image.slice(tag.start, tag.selfClosing ? tag.end - 1 : tag.end).trimEnd();
  const openTag = declared === undefined ? `${attributes} xmlns:openbadges="${OB3_SVG_NAMESPACE}">` : `${attributes}>`;
  const rest = image.slice(tag.end + 1);
  const baked = image.slice(0, tag.start) + openTag + '\n' + element + (tag.selfClosing ? '</svg>' : '') + rest;
  // The start tag was found by a scan, not the parser, so read the result back: it must parse and give back the
  // credential that was baked (for VC-JOSE the envelope rebuilt around the same JWS).
  let readBack: string | undefined;
  try {
    readBack = unbakeSvg(baked);
  } catch {
    readBack = undefined;
  }
  const same = (): boolean => {
    if (readBack === undefined) return false;
    if (payload.kind === 'jws') return readBack === payload.jws || readBack.includes(payload.jws);
    try {
      return JSON.stringify(JSON.parse(readBack)) === payload.json;
    } catch {
      return false;
    }
  };
  if (!same()) {
    throw new MicrocredError('ERR_BAKE_IMAGE', 'The credential could not be placed after the <svg> start tag of this image; simplify the SVG prolog.');
  }
  return baked;
}

// The text an element carries: its CDATA sections joined, or its text (a baker may have escaped the JSON instead).
function contentOf(element: unknown): string {
  if (typeof element === 'string') return element;
  if (!isObject(element)) return '';
  const sections = element['#cdata'];
  if (typeof sections === 'string') return sections;
  if (Array.isArray(sections)) return sections.filter((s): s is string => typeof s === 'string').join('');
  return typeof element['#text'] === 'string' ? element['#text'] : '';
}

function single(root: Record<string, unknown>, name: string): unknown {
  const element = root[name];
  if (Array.isArray(element)) throw new MicrocredError('ERR_EMBEDDED_MALFORMED', `The SVG has more than one <${name}>; the spec allows one.`);
  return element;
}

/**
 * The verifier input baked into an SVG: the credential JSON, the anchored envelope (JWS plus anchor proof) or the
 * JWS. Throws ERR_EMBEDDED_NONE when the SVG carries no credential and ERR_EMBEDDED_MALFORMED when it is broken.
 */
export function unbakeSvg(image: string): string {
  const root = parseSvg(image, 'ERR_EMBEDDED_MALFORMED');
  const element = single(root, CREDENTIAL_ELEMENT);
  if (element === undefined) throw new MicrocredError('ERR_EMBEDDED_NONE', `The SVG carries no baked credential (no <${CREDENTIAL_ELEMENT}> element).`);
  const namespace = root['@_xmlns:openbadges'] ?? (isObject(element) ? element['@_xmlns:openbadges'] : undefined);
  if (namespace !== OB3_SVG_NAMESPACE) throw new MicrocredError('ERR_EMBEDDED_MALFORMED', `The "openbadges" prefix must be bound to ${OB3_SVG_NAMESPACE}.`);
  const verify = isObject(element) ? element['@_verify'] : undefined;
  const credential = typeof verify === 'string' ? verify : contentOf(element);
  if (credential.trim() === '') throw new MicrocredError('ERR_EMBEDDED_MALFORMED', `The <${CREDENTIAL_ELEMENT}> element is empty.`);
  const anchor = single(root, ANCHOR_ELEMENT);
  if (anchor !== undefined && (!isObject(anchor) || anchor['@_xmlns:microcred'] !== ANCHOR_SVG_NAMESPACE)) {
    throw new MicrocredError('ERR_EMBEDDED_MALFORMED', `The <${ANCHOR_ELEMENT}> element must declare xmlns:microcred="${ANCHOR_SVG_NAMESPACE}".`);
  }
  return fromCarriers(credential, anchor === undefined ? undefined : contentOf(anchor));
}
