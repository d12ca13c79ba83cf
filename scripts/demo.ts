// `npm run demo`: the whole story on the embedded chain, told in plain words: a module is defined once and endorsed by
// an accrediting body (a second microcred instance, registered in the same registry), a cohort is issued by module id,
// anchored, verified with the CLI as a licensing body would, one credential is revoked, and the CLI sees it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Wallet } from 'ethers';
import { RegistryClient, hardhatDevAccounts } from '../src/chain';
import { buildEndorsement, resolveSecret } from '../src/issuer';
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
  const stops: Array<() => Promise<void>> = [];
  try {
    detail(`issuer ${issuer.service.issuer.did}`);
    detail(`registry ${system.registryAddress} on chain ${system.chainId}; API on ${system.url}`);
    const { token } = issuer.store.createToken('demo', ['issue', 'status', 'admin'], 'demo');
    const auth = { authorization: `Bearer ${token}` };

    say('The registrar defines the ACLS module once in the catalog (examples/module-acls.json).');
    const moduleDefinition = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'module-acls.json'), 'utf8')) as { id: string };
    const moduleUrl = `${system.url}/v1/modules/${encodeURIComponent(moduleDefinition.id)}`;
    const added = (await (await fetch(`${system.url}/v1/modules`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(moduleDefinition) })).json()) as { id: string; version: number };
    detail(`module ${added.id}, version ${added.version}.`);

    say('The Royal College of Examples, an accrediting body running its own microcred, endorses the module.');
    const endorsement = await endorseAsCollege(system, moduleDefinition.id, stops);
    detail(`endorsement ${String(endorsement.id)} by ${String((endorsement.issuer as { id: string }).id)}, anchored in the same registry.`);
    const attached = await fetch(`${moduleUrl}/endorsements`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(endorsement) });
    if (attached.status !== 201) throw new Error(`attaching the endorsement failed: ${await attached.text()}`);
    detail('the hospital attaches it to the module: every credential issued for the module from now on carries it.');

    say('The registrar uploads the ACLS cohort by module id from examples/cohort-by-module.csv.');
    const csv = readFileSync(path.join(ROOT, 'examples', 'cohort-by-module.csv'), 'utf8');
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

    say('Each learner is emailed their credential (here to the local mail catcher): a link, the PDF certificate and the JSON.');
    await issuer.delivery.runOnce();
    const mail = (await issuer.mailCatcher?.list()) ?? [];
    for (const message of mail.slice().reverse()) detail(`to ${message.to}: "${message.subject}"`);
    detail(`${mail.length} messages caught; while a server runs they are listed at /dev/mail (docs/delivery.md).`);
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
    const outcome = (await (await fetch(`${system.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: readFileSync(path.join(folder, `${ids[0]!.replace('urn:uuid:', '')}.json`), 'utf8') })).json()) as {
      verdict: string;
      summary?: { accreditedBy?: string[] };
    };
    detail(`an employer's page says: ${outcome.verdict}, accredited by ${outcome.summary?.accreditedBy?.join(', ') ?? 'nobody'} (the endorsement verified like a credential).`);
    if (outcome.summary?.accreditedBy?.length !== 1) throw new Error('the endorsement did not verify');

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

    say('Another learner keeps credentials in a wallet: the school offers the credential by OpenID for Verifiable Credential Issuance.');
    const record = {
      learner: { email: 'grace@example.org', name: 'Grace Hopper' },
      module: { id: 'https://hospital.example/modules/acls', name: 'Advanced Cardiac Life Support', description: 'Recognition and treatment of cardiac arrest.', criteria: 'Passed the megacode simulation.', credits: 8 },
      completedAt: '2025-03-01T09:30:00Z',
    };
    const offer = (await (await fetch(`${system.url}/v1/offers`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ record, pin: true }) })).json()) as {
      credentialOfferUri: string;
      txCode: string;
      expiresAt: string;
    };
    detail(`offer link (open it in a wallet, or show it as a QR code: microcred offer create --qr offer.svg):`);
    detail(offer.credentialOfferUri);
    detail(`PIN for a second channel: ${offer.txCode}; single use, valid until ${offer.expiresAt}. The wallet's credential names the wallet's DID.`);
    say('That is the whole path. `npm start` runs the same system as a server; docs/ explains each part.');
  } finally {
    for (const stop of stops.reverse()) await stop();
    await system.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The accrediting body: a second microcred instance (its own data folder, key and DID) on the same chain, registered in
 * the registry by the accreditation body with its own operator account, issues and anchors an EndorsementCredential.
 */
async function endorseAsCollege(system: RunningSystem, moduleId: string, stops: Array<() => Promise<void>>): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'microcred-demo-college-'));
  stops.push(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })));
  const [admin, , operator] = hardhatDevAccounts(3);
  // What `microcred init` does for a production data folder: the secret that seals the issuer's keys.
  resolveSecret({ dataDir, create: true });
  const keyFile = path.join(dataDir, 'anchoring.key');
  writeFileSync(keyFile, operator!.privateKey, { mode: 0o600 });
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir,
      port: 0,
      role: 'issuer',
      batch: { maxAgeSeconds: 1 },
      issuer: { name: 'Royal College of Examples' },
      chain: { mode: 'external', rpcUrls: [...system.rpcUrls], chainId: system.chainId, registryAddress: system.registryAddress },
      anchoringKey: { source: 'file', path: keyFile },
    },
  });
  const college = await startSystem({ config });
  stops.push(() => college.stop());
  const did = college.issuer!.service.issuer.did;
  const accreditor = await RegistryClient.connect({ address: system.registryAddress, rpcUrls: [...system.rpcUrls], chainId: system.chainId, privateKey: admin!.privateKey, pollingIntervalMs: 100 });
  try {
    await accreditor.registerIssuer(did, 'Royal College of Examples', new Wallet(admin!.privateKey).address, [operator!.address]);
  } finally {
    accreditor.close();
  }
  detail(`the accreditation body registers the college (${did}) in the registry.`);
  const { token } = college.issuer!.store.createToken('demo', ['issue'], 'demo');
  const auth = { authorization: `Bearer ${token}` };
  const unsigned = buildEndorsement({ achievementId: moduleId, comment: 'Accredited for 8 CPD hours of clinical CPD.' }, college.issuer!.service.issuer.profile, () => new Date());
  const issued = (await (await fetch(`${college.url}/credentials/issue`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ credential: unsigned }) })).json()) as {
    verifiableCredential: { id: string };
  };
  const id = issued.verifiableCredential.id;
  return waitFor(`the endorsement ${id} is anchored`, async () => {
    const view = (await (await fetch(`${college.url}/v1/credentials/${encodeURIComponent(id)}`, { headers: auth })).json()) as { anchored: Record<string, unknown> | null };
    return view.anchored ?? undefined;
  });
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
