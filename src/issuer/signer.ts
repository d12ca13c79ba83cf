// Secures built credentials (Data Integrity or VC-JOSE): the seam where signing can move to a worker pool.
import type { DocumentLoader } from '../contexts';
import { signDataIntegrity } from '../signing';
import type { IssuerKeyring } from '../signing';
import { signJose } from '../signing';
import type { CredentialFormat } from '../store';
import type { JoseJob, JoseJobResult } from './jose-job';

/** Signs one credential and returns the stored form: JSON text (di) or a compact JWS (jose). */
export interface CredentialSigner {
  sign(credential: Record<string, unknown>, format: CredentialFormat): Promise<string>;
  /** How many signatures may usefully run at once (1 for in-process signing, the pool size for a pool). */
  readonly concurrency: number;
  /** Announces a batch of `count` signatures in `format` (a pool starts its threads for a large one). */
  expect?(count: number, format: CredentialFormat): void;
  /** True when VC-JOSE batch jobs run off the calling thread now (a pool whose threads a large batch started). */
  offloadsJose?(): boolean;
  /** Runs VC-JOSE batch jobs (validate, build, leaf, sign) in the signing threads; results in the jobs' order, never rejected. */
  issueJose?(jobs: readonly JoseJob[], now: Date): Promise<JoseJobResult[]>;
  /** Releases workers, if any. */
  close(): Promise<void>;
}

/** Options of {@link createLocalSigner}. */
export interface LocalSignerOptions {
  keyring: IssuerKeyring;
  loader: DocumentLoader;
  now: () => Date;
}

/** A signer on the calling thread: simple and right for single credentials; issueMany drives it through mapLimit. */
export function createLocalSigner(options: LocalSignerOptions): CredentialSigner {
  const { keyring, loader, now } = options;
  return {
    concurrency: 1,
    async sign(credential, format) {
      if (format === 'jose') return signJose(credential, { signingKey: keyring.signingKey });
      return JSON.stringify(await signDataIntegrity(credential, { signingKey: keyring.signingKey, loader, now }));
    },
    close: () => Promise.resolve(),
  };
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. Rejections are returned, not thrown. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<Array<{ ok: true; value: R } | { ok: false; error: unknown }>> {
  const results = new Array<{ ok: true; value: R } | { ok: false; error: unknown }>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = { ok: true, value: await fn(items[index] as T, index) };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
