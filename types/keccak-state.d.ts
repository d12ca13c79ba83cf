// Module declaration for the keccak package's unrolled Keccak-f[1600] permutation (the package's own JS fallback).
declare module 'keccak/lib/keccak-state-unroll.js' {
  /** Applies Keccak-f[1600] (24 rounds) in place to 25 lanes held as 50 little-endian 32-bit words (low word first). */
  export function p1600(state: Uint32Array): void;
}

// The keccak package's pure-JS build: the same API as the package's entry, never the native binding.
declare module 'keccak/js' {
  import createKeccakHash from 'keccak';
  export default createKeccakHash;
}
