// DID document shape and lookups shared by did:key, did:web, the document loader and VC-JOSE verification.

/** A public verification method as it appears in a DID document. */
export interface VerificationMethod {
  id: string;
  type: 'Multikey';
  controller: string;
  publicKeyMultibase: string;
}

/** A DID document as microcred reads it (extra members are kept untouched). */
export interface DidDocument {
  '@context'?: unknown;
  id: string;
  verificationMethod?: (VerificationMethod | Record<string, unknown>)[];
  assertionMethod?: (string | Record<string, unknown>)[];
  authentication?: (string | Record<string, unknown>)[];
  [member: string]: unknown;
}

/** Resolves a DID to its DID document (throws MicrocredError with an ERR_DID_* code). */
export interface DidResolver {
  resolve(did: string): Promise<DidDocument>;
}

function absolute(id: string, did: string): string {
  return id.startsWith('#') ? did + id : id;
}

/** The verification method with this id, if the document lists it (embedded or in `verificationMethod`). */
export function findVerificationMethod(doc: DidDocument, id: string): Record<string, unknown> | undefined {
  const candidates: unknown[] = [...(doc.verificationMethod ?? []), ...(doc.assertionMethod ?? []), ...(doc.authentication ?? [])];
  for (const vm of candidates) {
    if (typeof vm === 'object' && vm !== null && typeof (vm as { id?: unknown }).id === 'string') {
      const vmId = absolute((vm as { id: string }).id, doc.id);
      if (vmId === id) return { ...(vm as Record<string, unknown>), id: vmId, controller: (vm as { controller?: unknown }).controller ?? doc.id };
    }
  }
  return undefined;
}

/** True when `id` is listed under the document's `assertionMethod` (by reference or embedded). */
export function isAssertionMethod(doc: DidDocument, id: string): boolean {
  return (doc.assertionMethod ?? []).some((entry) =>
    typeof entry === 'string' ? absolute(entry, doc.id) === id : typeof entry.id === 'string' && absolute(entry.id, doc.id) === id,
  );
}

/** The DID part of a DID URL (`did:x:y#frag` → `did:x:y`). */
export function didOf(didUrl: string): string {
  return didUrl.split('#')[0]!.split('?')[0]!;
}
