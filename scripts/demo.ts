// `npm run demo`: the whole story on the embedded chain, told in plain words: a cohort is issued from a CSV, anchored,
// verified with the CLI as a licensing body would, one credential is revoked, and the CLI sees it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { startSystem, type RunningSystem } from '../src/runtime/system';

const ROOT = path.resolve(__dirname, '..');
const say = (text: string) => console.log(`\n▶ ${text}`);
const detail = (text: string) => console.log(`  ${text}`);

/** Polls `probe` until it returns a value (every 250 ms, at most `timeoutMs`). */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs `microcred verify` as a licensing body would, showing its output; resolves to its exit code. */
function verifyWithCli(system: RunningSystem, folder: string): Promise<number | null> {
  const args = ['bin/microcred.cjs', 'verify', folder, '--rpc', system.rpcUrls[0]!, '--chain-id', String(system.chainId), '--registry', system.registryAddress];
  detail(`$ microcred ${args.slice(1).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8').on('data', (text: string) => process.stdout.write(text.replace(/^(?=.)/gm, '    ')));
    child.on('error', reject);
    child.on('close', resolve);
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'microcred-demo-'));
  const config = loadConfig({
    env: {},
    overrides: { dataDir, port: 0, chain: { embeddedPort: 0 }, batch: { maxAgeSeconds: 1 }, issuer: { name: 'St Example Teaching Hospital' } },
  });
  say('Starting microcred on this machine: an in-process EVM chain, the registry, the issuer and the verifier.');
  const system = await startSystem({ config });
  const issuer = system.issuer!;
  try {
    detail(`issuer ${issuer.service.issuer.did}`);
    detail(`registry ${system.registryAddress} on chain ${system.chainId}; API on ${system.url}`);
    const { token } = issuer.store.createToken('demo', ['issue', 'status'], 'demo');
    const auth = { authorization: `Bearer ${token}` };

    say('The registrar uploads the ACLS cohort from examples/cohort.csv.');
    const csv = readFileSync(path.join(ROOT, 'examples', 'cohort.csv'), 'utf8');
    const batch = (await (await fetch(`${system.url}/v1/credentials/batch`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csv })).json()) as {
      issued: number;
      rows: { row: number; status: string; credentialId?: string; errors?: { field: string; message: string }[] }[];
    };
    detail(`${batch.issued} credentials issued.`);
    for (const row of batch.rows.filter((r) => r.status !== 'issued')) {
      detail(`row ${row.row} was not issued: ${row.errors?.map((e) => `${e.field} ${e.message}`).join('; ') ?? row.status} (the registrar fixes it and uploads that row again)`);
    }
    const ids = batch.rows.flatMap((r) => (r.credentialId === undefined ? [] : [r.credentialId]));

    say('Their hashes are batched into a Merkle tree, and its root is anchored in the registry with one transaction.');
    const folder = mkdtempSync(path.join(os.tmpdir(), 'microcred-demo-credentials-'));
    for (const id of ids) {
      const anchored = await waitFor(`${id} is anchored`, async () => {
        const view = (await (await fetch(`${system.url}/v1/credentials/${encodeURIComponent(id)}`, { headers: auth })).json()) as { anchored: unknown };
        return view.anchored ?? undefined;
      });
      writeFileSync(path.join(folder, `${id.replace('urn:uuid:', '')}.json`), JSON.stringify(anchored, null, 2));
    }
    const firstBatch = issuer.store.getCredential(ids[0]!)!;
    detail(`batch ${firstBatch.batchId} anchored; each learner's file now carries its own anchor proof (chain, registry, root, path, transaction).`);

    say('Each learner gets a share link, which opens the credential already verified, and a PDF certificate whose QR code opens that link.');
    const first = encodeURIComponent(ids[0]!);
    const share = (await (await fetch(`${system.url}/v1/credentials/${first}/share`, { headers: auth })).json()) as { url: string; linkedinUrl: string };
    detail(`share link: ${share.url}`);
    const pdfPath = path.join(os.tmpdir(), `microcred-demo-certificate-${ids[0]!.slice('urn:uuid:'.length, 'urn:uuid:'.length + 8)}.pdf`);
    writeFileSync(pdfPath, Buffer.from(await (await fetch(`${system.url}/v1/credentials/${first}/certificate.pdf`, { headers: auth })).arrayBuffer()));
    detail(`PDF certificate: ${pdfPath}`);
    detail(`"Add to LinkedIn profile": ${share.linkedinUrl.slice(0, 90)}…`);

    say('The licensing body verifies the folder of credentials with the CLI: signature, issuer key, dates, anchor, accreditation and revocation.');
    const before = await verifyWithCli(system, folder);
    detail(`exit code ${before} (0: all valid)`);

    const revoked = ids[1]!;
    say(`The school finds that ${revoked} was issued in error, and revokes it.`);
    await fetch(`${system.url}/v1/credentials/${encodeURIComponent(revoked)}/revoke`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ reasonCode: 'issued_in_error', reason: 'Wrong cohort' }),
    });
    await waitFor('the revocation is on chain', async () => {
      const view = (await (await fetch(`${system.url}/v1/credentials/${encodeURIComponent(revoked)}`, { headers: auth })).json()) as { statusChanges: { state: string }[] };
      return view.statusChanges.some((change) => change.state === 'done') ? true : undefined;
    });
    detail('the revocation is recorded in the registry; the learner still holds the same file.');

    say('The licensing body verifies the same folder again.');
    const after = await verifyWithCli(system, folder);
    detail(`exit code ${after} (1: at least one credential is not valid, here the revoked one)`);
    if (before !== 0 || after !== 1) throw new Error(`unexpected exit codes: ${before} before, ${after} after the revocation`);
    rmSync(folder, { recursive: true, force: true });
    say('That is the whole path. `npm start` runs the same system as a server; docs/ explains each part.');
  } finally {
    await system.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
