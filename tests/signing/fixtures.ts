// Shared fixtures for credential/signing tests: vector paths, a sample record, loaders for the spec vectors.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON fixtures are walked and edited by path. */
import fs from 'node:fs';
import path from 'node:path';
import { createDocumentLoader } from '../../src/contexts';

/** Root of the interop vectors, copied into the repository (see tests/vectors/README.md). */
export const VECTORS = path.resolve(__dirname, '../vectors');

/** Reads a JSON vector file. */
export function readVector<T = any>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(VECTORS, relative), 'utf8')) as T;
}

/** Reads a text vector file as-is. */
export function readText(relative: string): string {
  return fs.readFileSync(path.join(VECTORS, relative), 'utf8');
}

/** The W3C examples context URL the W3C vectors use. */
export const EXAMPLES_CONTEXT = 'https://www.w3.org/ns/credentials/examples/v2';

/** Open Badges spec issuer and its key (from the spec's own signed credential). */
export const OB_ISSUER = 'https://example.edu/issuers/565049';
export const OB_VM = 'https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi';

/** The OB issuer's controller document, served from the loader, never fetched. */
export const OB_CONTROLLER_DOCUMENT = {
  '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
  id: OB_ISSUER,
  verificationMethod: [{ id: OB_VM, type: 'Multikey', controller: OB_ISSUER, publicKeyMultibase: OB_VM.split('#')[1] }],
  assertionMethod: [OB_VM],
};

/** One loader for the whole test process, with the test-only documents added. */
export const testLoader = createDocumentLoader({
  extraDocuments: {
    [EXAMPLES_CONTEXT]: readVector('w3c-contexts/credentials-examples-v2.jsonld'),
    [OB_ISSUER]: OB_CONTROLLER_DOCUMENT,
  },
});

/** The shared sample completion record (tests/helpers/records.ts). */
export { sampleRecord } from '../helpers/records';
