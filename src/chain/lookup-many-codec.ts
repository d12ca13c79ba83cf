// lookupMany's calldata and result, packed and read word by word: the same bytes as ethers' generic ABI coder, which
// copies its whole buffer for every nested value and so spent ~0.2 ms a credential in bulk verification.
import type { Interface } from 'ethers';

/** One question as the contract takes it (issuer id, root, leaf and path: 0x + 64 hex each). */
export interface LookupQueryWords {
  readonly issuerId: string;
  readonly root: string;
  readonly leaf: string;
  readonly path: readonly string[];
}

/** One answer as the contract returns it (the fields of `ICredentialRegistry.Lookup`). */
export interface LookupTuple {
  anchoredAt: bigint;
  anchoredBlock: bigint;
  statusSince: bigint;
  statusReason: bigint;
  status: bigint;
  leafInRoot: boolean;
  issuerRegistered: boolean;
  issuerActive: boolean;
  issuerDid: string;
  issuerName: string;
}

/**
 * The fast coder. `encode` and `decode` return undefined for anything outside the plain case (a value that is not
 * 0x + 64 hex, a result ethers would refuse or read loosely), and the caller then uses ethers' Interface, so errors
 * and edge cases stay exactly ethers'.
 */
export interface LookupManyCodec {
  encode(queries: readonly LookupQueryWords[]): string | undefined;
  decode(result: string): LookupTuple[] | undefined;
}

const INPUT = 'lookupMany((bytes32,bytes32,bytes32,bytes32[])[])';
const OUTPUT = '(uint64,uint64,uint64,uint16,uint8,bool,bool,bool,string,string)[]';
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;
const WORD = 32;
/** Ethers refuses data that makes it read more than 1,024 times its length; half that is left to ethers to judge. */
const MAX_INFLATION = 512;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const word = (n: number): string => n.toString(16).padStart(64, '0');

function encodeWith(selector: string, queries: readonly LookupQueryWords[]): string | undefined {
  const parts: string[] = [selector, word(WORD), word(queries.length)];
  // Each tuple is dynamic (its path is), so the array holds offsets first, counted from just after its length.
  let offset = queries.length * WORD;
  for (const q of queries) {
    parts.push(word(offset));
    offset += (5 + q.path.length) * WORD;
  }
  for (const q of queries) {
    if (!BYTES32.test(q.issuerId) || !BYTES32.test(q.root) || !BYTES32.test(q.leaf)) return undefined;
    parts.push(q.issuerId.slice(2), q.root.slice(2), q.leaf.slice(2), word(4 * WORD), word(q.path.length));
    for (const node of q.path) {
      if (!BYTES32.test(node)) return undefined;
      parts.push(node.slice(2));
    }
  }
  return parts.join('').toLowerCase();
}

/** Thrown inside decode when ethers must judge the data; never escapes. */
class Unusual extends Error {}

function decodeResult(hex: string): LookupTuple[] {
  if (!HEX.test(hex)) throw new Unusual();
  const data = Buffer.from(hex.slice(2), 'hex');
  const length = data.length;
  if (length % WORD !== 0) throw new Unusual();
  let read = 0;
  const take = (at: number, bytes: number): void => {
    if (at < 0 || at + bytes > length) throw new Unusual();
    read += bytes;
    if (read > MAX_INFLATION * length) throw new Unusual();
  };
  // An offset or a length: a whole word whose value fits well inside a safe integer.
  const index = (at: number): number => {
    take(at, WORD);
    for (let i = at; i < at + 26; i++) if (data[i] !== 0) throw new Unusual();
    return data.readUIntBE(at + 26, 6);
  };
  const uint = (at: number, bytes: number): bigint => {
    take(at, WORD);
    return BigInt(`0x${data.toString('hex', at + WORD - bytes, at + WORD)}`);
  };
  const bool = (at: number): boolean => {
    take(at, WORD);
    for (let i = at; i < at + WORD; i++) if (data[i] !== 0) return true;
    return false;
  };
  const text = (at: number): string => {
    const size = index(at);
    const aligned = Math.ceil(size / WORD) * WORD;
    take(at + WORD, aligned);
    try {
      return utf8.decode(data.subarray(at + WORD, at + WORD + size));
    } catch {
      throw new Unusual();
    }
  };
  const array = index(0);
  const count = index(array);
  const base = array + WORD;
  if (count * WORD > length - array) throw new Unusual();
  const tuples: LookupTuple[] = [];
  for (let i = 0; i < count; i++) {
    const t = base + index(base + i * WORD);
    tuples.push({
      anchoredAt: uint(t, 8),
      anchoredBlock: uint(t + WORD, 8),
      statusSince: uint(t + 2 * WORD, 8),
      statusReason: uint(t + 3 * WORD, 2),
      status: uint(t + 4 * WORD, 1),
      leafInRoot: bool(t + 5 * WORD),
      issuerRegistered: bool(t + 6 * WORD),
      issuerActive: bool(t + 7 * WORD),
      issuerDid: text(t + index(t + 8 * WORD)),
      issuerName: text(t + index(t + 9 * WORD)),
    });
  }
  return tuples;
}

const codecs = new WeakMap<Interface, LookupManyCodec | null>();

/**
 * The fast coder for this Interface's lookupMany, or undefined when its ABI is not the one this coder was written
 * for (then ethers' generic coder is the only path).
 */
export function lookupManyCodec(iface: Interface): LookupManyCodec | undefined {
  let codec = codecs.get(iface);
  if (codec === undefined) {
    const fragment = iface.getFunction('lookupMany');
    const fits = fragment !== null && fragment.format('sighash') === INPUT && fragment.outputs.length === 1 && fragment.outputs[0]!.format('sighash') === OUTPUT;
    codec = fits
      ? {
          encode: (queries) => encodeWith(fragment.selector, queries),
          decode: (result) => {
            try {
              return decodeResult(result);
            } catch (error) {
              if (error instanceof Unusual) return undefined;
              throw error;
            }
          },
        }
      : null;
    codecs.set(iface, codec);
  }
  return codec ?? undefined;
}
