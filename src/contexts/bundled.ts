// The JSON-LD contexts microcred ships with: every one a credential of ours (or one we accept) may use.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contextPackageMaps } from '../libraries';

/** VC Data Model 2.0 context URL. */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
/** VC Data Model 1.1 context URL. */
export const VC_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
/** The Open Badges 3.0 context this project issues with. */
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** The Open Badges 3.0 extensions context (needed for `1EdTechJsonSchemaValidator2019` and friends). */
export const OB_EXTENSIONS_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';
/** The W3C examples context (the VC specifications' examples use it). */
export const VC_EXAMPLES_V2_CONTEXT = 'https://www.w3.org/ns/credentials/examples/v2';
export { DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT } from '../did';

/** Every bundled document as URL → JSON, built once (the packages' own maps, merged). */
export function bundledContexts(): Map<string, object> {
  const out = new Map<string, object>();
  // Not in any npm package: a copy of the W3C file sits next to this module (see README.md here).
  const examples = JSON.parse(readFileSync(path.join(__dirname, 'credentials-examples-v2.jsonld'), 'utf8')) as object;
  for (const source of [...contextPackageMaps(), new Map([[VC_EXAMPLES_V2_CONTEXT, examples]])]) {
    for (const [url, doc] of source) {
      // The Open Badges package also maps a non-URL key ("OBv3_beta"); only URLs are loadable.
      if (/^https?:\/\//.test(url) && typeof doc === 'object' && doc !== null) out.set(url, doc);
    }
  }
  return out;
}
