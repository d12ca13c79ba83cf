// A typed wrapper of @digitalbazaar/vc-bitstring-status-list: the bit layout and GZIP/base64url encoding the spec fixes.
import * as library from '@digitalbazaar/vc-bitstring-status-list';

/** A status bitstring. */
export interface StatusBitstring {
  readonly length: number;
  getStatus(index: number): boolean;
  setStatus(index: number, value: boolean): void;
  /** The `encodedList` form: `u` + base64url(GZIP(bits)). */
  encode(): Promise<string>;
  readonly bitstring: { readonly bits: Uint8Array };
}

const typed = library as unknown as {
  BitstringStatusList: new (options: { length?: number; buffer?: Uint8Array }) => StatusBitstring;
  decodeList(options: { encodedList: string }): Promise<StatusBitstring>;
  createCredential(options: { id: string; list: StatusBitstring; statusPurpose: string }): Promise<Record<string, unknown> & { credentialSubject: Record<string, unknown> }>;
};

/** The bitstring over a copy of `bits` (the library keeps the buffer it is given, and a Node Buffer may share a pool). */
export function bitstringOf(bits: Uint8Array): StatusBitstring {
  return new typed.BitstringStatusList({ buffer: new Uint8Array(bits) });
}

/** Decodes an `encodedList`; throws on anything that is not one. */
export function decodeBitstring(encodedList: string): Promise<StatusBitstring> {
  return typed.decodeList({ encodedList });
}

/** The unsigned BitstringStatusListCredential skeleton (VC 2.0 context, id, type, subject with encodedList). */
export function statusListCredentialOf(id: string, list: StatusBitstring, statusPurpose: string): Promise<Record<string, unknown> & { credentialSubject: Record<string, unknown> }> {
  return typed.createCredential({ id, list, statusPurpose });
}
