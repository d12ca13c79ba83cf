// keccak-256 for leaves and Merkle path checks: the `keccak` package's native binding on the main thread, its pure-JS
// build (same API, the same unrolled permutation) in worker threads. Terminating a worker while it is inside a call to
// the N-API binding aborts the whole process (FATAL ERROR napi_create_reference), and the signing and verification
// pools terminate workers (shutdown, a crashed batch); tests/anchoring/keccak-worker.test.ts shows both sides.
import { isMainThread } from 'node:worker_threads';
import nativeOrJs from 'keccak';
import pureJs from 'keccak/js';

/** `createKeccakHash` of the `keccak` package, safe to use in a worker thread that may be terminated at any moment. */
export const createKeccakHash: typeof nativeOrJs = isMainThread ? nativeOrJs : pureJs;
