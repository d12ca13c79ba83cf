// Child step: the verification baselines over the same files the CLI verifies, with no chain: a plain
// @digitalbazaar/vc verifyCredential loop (Data Integrity) and a plain jose compactVerify loop (VC-JOSE).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { compactVerify, importJWK } from 'jose';
import { unwrapEnvelope } from '../src/anchoring';
import { defaultDocumentLoader } from '../src/contexts/loader';
import { multikeyToJwk } from '../src/did';
import { childMain, writeResult } from './child';
import { loopProgress, progress } from './progress';
import type { BaselineResult } from './issue-baseline-child';

/** The baselines this step can run. */
export type VerifyBaseline = 'vc-verify' | 'jose-verify';

childMain(async () => {
  const { values } = parseArgs({ options: { mode: { type: 'string' }, folder: { type: 'string' }, n: { type: 'string' } } });
  const mode = values.mode as VerifyBaseline;
  const names = fs.readdirSync(values.folder!).filter((f) => f.endsWith('.json')).sort().slice(0, Number(values.n));
  const documents = names.map((name) => JSON.parse(fs.readFileSync(path.join(values.folder!, name), 'utf8')) as Record<string, unknown>);
  const n = documents.length;
  const loader = defaultDocumentLoader();
  let once: (document: Record<string, unknown>) => Promise<boolean>;
  if (mode === 'vc-verify') {
    // The library's own verifier: the anchor proof in the proof set is a proof it does not know and skips.
    once = async (credential) => {
      const result = (await vc.verifyCredential({ credential, suite: [new DataIntegrityProof({ cryptosuite })], documentLoader: loader })) as { verified: boolean };
      return result.verified;
    };
  } else {
    const first = unwrapEnvelope(documents[0]).jws;
    const kid = JSON.parse(Buffer.from(first.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string };
    // The key is known up front (no DID resolution per credential): the fastest a plain loop can be.
    const key = await importJWK({ ...multikeyToJwk(kid.kid.split('#')[1]!), alg: 'EdDSA' }, 'EdDSA');
    once = async (envelope) => {
      await compactVerify(unwrapEnvelope(envelope).jws, key);
      return true;
    };
  }
  for (let i = 0; i < Math.min(5, n); i++) await once(structuredClone(documents[i]!));
  progress(`baseline ${mode}: timing ${n} verifications`);
  const report = loopProgress(`baseline ${mode}`, n);
  let failed = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    if (!(await once(documents[i]!))) failed++;
    report(i + 1);
  }
  const ms = performance.now() - t0;
  if (failed > 0) throw new Error(`${failed} of ${n} credentials did not verify in the ${mode} baseline`);
  const result: BaselineResult = { mode, n, ms, rate: n / (ms / 1000) };
  writeResult(result);
});
