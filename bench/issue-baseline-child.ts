// Child step: the issuance baselines on the same credentials: a plain @digitalbazaar/vc issue loop, a plain jose
// CompactSign loop, and raw node:crypto Ed25519 signatures (the physical floor).
import { sign as cryptoSign } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CompactSign } from 'jose';
import { defaultDocumentLoader } from '../src/contexts/loader';
import { buildCredential } from '../src/credential';
import { DataIntegrityProof, eddsaRdfc2022, vc } from '../src/libraries/digitalbazaar';
import { childMain, writeResult } from './child';
import { BENCH_NOW, cohortRecord, loadBenchIssuer } from './fixture';
import { loopProgress, progress } from './progress';

/** The baselines this step can run. */
export type IssueBaseline = 'vc-issue' | 'jose-sign' | 'raw-ed25519';

/** What the parent gets back. */
export interface BaselineResult {
  mode: string;
  n: number;
  ms: number;
  rate: number;
}

childMain(async () => {
  const { values } = parseArgs({ options: { mode: { type: 'string' }, n: { type: 'string' }, issuer: { type: 'string' } } });
  const mode = values.mode as IssueBaseline;
  const n = Number(values.n);
  const issuer = loadBenchIssuer(values.issuer!);
  const now = (): Date => BENCH_NOW;
  // The same credentials the service builds, made outside the clock: the baselines time securing only.
  const credentials = Array.from({ length: n }, (_, i) => buildCredential({ record: cohortRecord(i), issuer: issuer.profile, now }) as unknown as Record<string, unknown>);
  const loader = defaultDocumentLoader();
  const diSigner = issuer.signingKey.dataIntegritySigner();
  const keyObject = issuer.signingKey.privateKeyObject();
  const kid = issuer.signingKey.id!;
  const report = loopProgress(`baseline ${mode}`, n);

  const once: Record<IssueBaseline, (credential: Record<string, unknown>) => Promise<unknown>> = {
    // What the library's README does: a suite per call (its date is per credential) and the same document loader.
    'vc-issue': (credential) => vc.issue({ credential, suite: new DataIntegrityProof({ signer: diSigner, cryptosuite: eddsaRdfc2022 }), documentLoader: loader }),
    'jose-sign': (credential) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(credential))).setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid }).sign(keyObject),
    'raw-ed25519': (credential) => Promise.resolve(cryptoSign(null, Buffer.from(JSON.stringify(credential)), keyObject)),
  };
  const run = once[mode];
  for (let i = 0; i < Math.min(5, n); i++) await run(structuredClone(credentials[i]!));
  progress(`baseline ${mode}: timing ${n} signatures`);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await run(credentials[i]!);
    report(i + 1);
  }
  const ms = performance.now() - t0;
  const result: BaselineResult = { mode, n, ms, rate: n / (ms / 1000) };
  writeResult(result);
});
