// Developer tool (not part of `npm run bench`): CPU per credential of bulk verification, in one process, against the
// bare baselines in the same run, with an optional CPU profile of the verifier's part only.
//   npx tsx bench/verify-cpu.ts [--jose 2000] [--di 1000] [--vc 200] [--profile out-prefix] [--unreachable]
import fs from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { compactVerify, importJWK } from 'jose';
import { anchoredCredential, createAnchorer, unwrapEnvelope } from '../src/anchoring';
import { defaultDocumentLoader, createDocumentLoader } from '../src/contexts';
import { createDidResolver, multikeyToJwk } from '../src/did';
import { createIssuerService, parseCohortCsv } from '../src/issuer';
import { openStore } from '../src/store';
import { createVerifier, verifyInputs, type BulkSummary } from '../src/verify';
import { issuerClient, startBenchChain } from './chain';
import { BENCH_NOW, cohortCsv, createBenchIssuer } from './fixture';

const { values } = parseArgs({
  options: {
    jose: { type: 'string', default: '2000' },
    di: { type: 'string', default: '1000' },
    vc: { type: 'string', default: '200' },
    profile: { type: 'string' },
    unreachable: { type: 'boolean', default: false },
  },
});
const N_JOSE = Number(values.jose);
const N_DI = Number(values.di);
const N_VC = Number(values.vc);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function timed<T>(run: () => Promise<T>): Promise<{ cpu: number; wall: number; value: T }> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const value = await run();
  return { cpu: cpuMs() - c0, wall: performance.now() - t0, value };
}

/** Profiles `run` with the inspector (only this part of the process), writes the profile and prints top self times. */
async function profiled<T>(label: string, run: () => Promise<T>): Promise<T> {
  if (!values.profile) return run();
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  const value = await run();
  const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  const file = `${values.profile}-${label}.cpuprofile`;
  fs.writeFileSync(file, JSON.stringify(profile));
  printTop(label, profile);
  return value;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

function printTop(label: string, profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    const f = node.callFrame;
    const file = f.url.replace(/^.*node_modules\//, 'nm/').replace(/^.*verify-savings\//, '');
    const key = `${f.functionName || '(anon)'} ${file}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const pkg = file.startsWith('nm/') ? file.split('/').slice(0, file.split('/')[1]!.startsWith('@') ? 3 : 2).join('/') : file || f.functionName;
    byFile.set(pkg, (byFile.get(pkg) ?? 0) + dt);
    total += dt;
  });
  const top = (m: Map<string, number>, n: number): string =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${(v / 1000).toFixed(0).padStart(6)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  console.log(`\n== profile ${label}: ${(total / 1000).toFixed(0)} ms sampled; top self time by function\n${top(self, 30)}\n-- by package/file\n${top(byFile, 20)}`);
}

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-cpu-'));
  const issuer = createBenchIssuer(path.join(scratch, 'issuer.json'));
  const chain = await startBenchChain({ did: issuer.did, name: 'Bench issuer' });
  try {
    const folders = { jose: path.join(scratch, 'jose'), di: path.join(scratch, 'di') };
    const loader = defaultDocumentLoader();
    for (const [form, n] of [['jose', N_JOSE], ['di', N_DI]] as const) {
      const store = openStore({ path: path.join(scratch, `${form}.sqlite`), now: () => BENCH_NOW });
      const service = createIssuerService({ store, issuer, loader, now: () => BENCH_NOW, batch: { maxLeaves: 1000 } });
      const outcome = await service.issueMany(parseCohortCsv(cohortCsv(n), { maxRows: n }), { format: form, actor: 'bench' });
      if (outcome.issued !== n) throw new Error(`issued ${outcome.issued} of ${n}`);
      await service.close();
      const registry = await issuerClient(chain, chain.issuerPrivateKey);
      const anchorer = createAnchorer({ store, registry, chainId: chain.chainId, registryAddress: chain.registryAddress, batch: { maxLeaves: 1000, maxAgeMs: 0 }, receiptTimeoutMs: 60_000, retry: { baseMs: 200, maxMs: 1000 } });
      for (let run = 0; run < 20 && (run === 0 || store.unfinishedBatches().length > 0); run++) await anchorer.anchorNow();
      await anchorer.stop();
      registry.close();
      fs.mkdirSync(folders[form]);
      let files = 0;
      let cursor: string | null = null;
      for (let page = 0; page < 1000 && files < n; page++) {
        const { items, nextCursor } = store.listCredentials({ limit: 500, cursor, order: 'asc' });
        for (const row of items) {
          const anchoredForm = anchoredCredential(row);
          if (anchoredForm === null) throw new Error(`credential ${row.id} not anchored`);
          fs.writeFileSync(path.join(folders[form], `${String(files++).padStart(6, '0')}.json`), JSON.stringify(anchoredForm));
        }
        if (nextCursor === null) break;
        cursor = nextCursor;
      }
      store.close();
    }
    console.log(`fixture: ${N_JOSE} VC-JOSE and ${N_DI} DI credentials anchored on ${chain.url}`);

    const rpcUrls = values.unreachable ? ['http://127.0.0.1:9'] : [chain.url];
    const makeVerifier = () => {
      const didResolver = createDidResolver();
      return createVerifier({
        loader: createDocumentLoader({ didResolver }),
        didResolver,
        chain: { rpcUrls, chainId: chain.chainId, registryAddress: chain.registryAddress, statusTtlMs: 3_600_000, timeoutMs: 30_000 },
        policy: { trustedRegistries: [{ chainId: chain.chainId, address: chain.registryAddress }] },
      });
    };
    const bulk = async (folder: string): Promise<BulkSummary> => {
      const verifier = makeVerifier();
      try {
        return await verifyInputs([folder], { verifier, concurrency: 8 });
      } finally {
        verifier.close();
      }
    };
    // Warm-up: contexts, templates, JIT; a few files of each form.
    const warm = path.join(scratch, 'warm');
    fs.mkdirSync(warm);
    for (const f of ['jose', 'di'] as const) for (const name of fs.readdirSync(folders[f]).slice(0, 20)) fs.copyFileSync(path.join(folders[f], name), path.join(warm, `${f}-${name}`));
    await bulk(warm);

    // Baselines, as bench/verify-baseline-child.ts does them.
    const joseDocs = fs.readdirSync(folders.jose).sort().map((name) => JSON.parse(fs.readFileSync(path.join(folders.jose, name), 'utf8')) as Record<string, unknown>);
    const diDocs = fs.readdirSync(folders.di).sort().slice(0, N_VC).map((name) => JSON.parse(fs.readFileSync(path.join(folders.di, name), 'utf8')) as Record<string, unknown>);
    const first = unwrapEnvelope(joseDocs[0]).jws;
    const kid = (JSON.parse(Buffer.from(first.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid;
    const key = await importJWK({ ...multikeyToJwk(kid.split('#')[1]!), alg: 'EdDSA' }, 'EdDSA');
    const vcOnce = async (credential: Record<string, unknown>) =>
      ((await vc.verifyCredential({ credential, suite: [new DataIntegrityProof({ cryptosuite })], documentLoader: loader })) as { verified: boolean }).verified;
    for (let i = 0; i < 5; i++) await vcOnce(structuredClone(diDocs[i]!));
    const joseBase = await timed(async () => {
      for (const d of joseDocs) await compactVerify(unwrapEnvelope(d).jws, key);
    });
    const vcBase = await timed(async () => {
      for (const d of diDocs) if (!(await vcOnce(d))) throw new Error('vc baseline did not verify');
    });

    const jose = await profiled('jose', () => timed(() => bulk(folders.jose)));
    const di = await profiled('di', () => timed(() => bulk(folders.di)));
    const expectValid = !values.unreachable;
    for (const [label, run] of [['jose', jose], ['di', di]] as const) {
      const s = run.value;
      if (expectValid ? s.valid !== s.total : s.indeterminate !== s.total) throw new Error(`${label}: ${JSON.stringify(s)}`);
    }
    const per = (r: { cpu: number; wall: number }, n: number) => `${(r.cpu / n).toFixed(3)} ms CPU, ${(r.wall / n).toFixed(3)} ms wall a credential`;
    console.log(`\nchain ${values.unreachable ? 'UNREACHABLE' : 'reachable'}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`baseline jose compactVerify (${joseDocs.length}): ${per(joseBase, joseDocs.length)}`);
    console.log(`verifyInputs VC-JOSE (${N_JOSE}): ${per(jose, N_JOSE)}; chain reads ${jose.value.chainReads}`);
    console.log(`baseline vc.verifyCredential (${diDocs.length}): ${per(vcBase, diDocs.length)}`);
    console.log(`verifyInputs DI (${N_DI}): ${per(di, N_DI)}; chain reads ${di.value.chainReads}`);
    const ratio = (base: { cpu: number; wall: number }, nb: number, ours: { cpu: number; wall: number }, no: number) =>
      `${(base.cpu / nb / (ours.cpu / no)).toFixed(2)}x by CPU, ${(base.wall / nb / (ours.wall / no)).toFixed(2)}x by wall`;
    console.log(`ratio VC-JOSE / bare jose: ${ratio(joseBase, joseDocs.length, jose, N_JOSE)}`);
    console.log(`ratio DI / plain vc loop: ${ratio(vcBase, diDocs.length, di, N_DI)}`);
  } finally {
    await chain.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
