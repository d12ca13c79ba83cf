// `microcred audit` as a licensing body runs it: real issued and anchored credentials, a real chain, the real CLI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { startSystem, type RunningSystem } from '../../src/runtime/system';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { microcred } from '../helpers/cli';
import { freePort } from '../helpers/free-port';
import { sampleRecord } from '../helpers/records';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-audit-'));
const portfolio = path.join(dir, 'portfolio');

describe('microcred audit', () => {
  let system: RunningSystem;
  let policyFile: string;
  let rosterFile: string;

  beforeAll(async () => {
    const config = loadConfig({
      env: {},
      overrides: { dataDir: path.join(dir, 'data'), port: await freePort(), chain: { embeddedPort: await freePort() }, batch: { maxAgeSeconds: 3600 } },
    });
    system = await startSystem({ config, env: {} });
    const { service, anchorer } = system.issuer!;
    const module = (name: string, credits: number) => ({ ...(sampleRecord().module as Record<string, unknown>), id: `https://hospital.example/modules/${name}`, name, credits });
    const issue = async (file: string, learner: Record<string, string>, name: string, credits: number, completedAt = '2025-03-01T09:30:00Z') => {
      const issued = await service.issue({ ...sampleRecord(), learner, module: module(name, credits), completedAt, validFor: 'P5Y' }, { format: file.endsWith('.jwt.json') ? 'jose' : 'di', actor: 'test' });
      return { file, id: issued.credentialId };
    };
    const issued = [
      await issue('ada-acls.json', { did: 'did:key:z6MkAdaLovelace', name: 'Ada Lovelace' }, 'acls', 12),
      await issue('ada-ethics.jwt.json', { did: 'did:key:z6MkAdaLovelace' }, 'ethics', 8),
      await issue('grace-acls.json', { email: 'grace@example.org', name: 'Grace Hopper' }, 'acls', 12),
      await issue('grace-sepsis.json', { email: 'Grace@Example.org' }, 'sepsis', 8),
      await issue('grace-old.json', { email: 'grace@example.org' }, 'trauma', 8, '2023-05-01T00:00:00Z'),
      await issue('stranger.json', { email: 'stranger@example.org' }, 'acls', 12),
    ];
    await anchorer.anchorNow();
    service.requestStatusChange(issued[3]!.id, 'revoke', { reasonCode: 'issued_in_error', actor: 'test' });
    await anchorer.anchorNow();
    fs.mkdirSync(path.join(portfolio, 'grace'), { recursive: true });
    for (const { file, id } of issued) {
      const anchored = service.getCredentialWithAnchor(id).anchored;
      if (anchored === null) throw new Error(`${file} was not anchored`);
      fs.writeFileSync(path.join(portfolio, file.startsWith('grace') ? 'grace' : '', file), JSON.stringify(anchored, null, 2));
    }
    // A tampered copy (more credits) and a file that is no credential at all.
    const tampered = JSON.parse(fs.readFileSync(path.join(portfolio, 'ada-acls.json'), 'utf8'));
    tampered.credentialSubject.achievement.creditsAvailable = 40;
    fs.writeFileSync(path.join(portfolio, 'ada-acls-copy.json'), JSON.stringify(tampered));
    fs.writeFileSync(path.join(portfolio, 'notes.txt'), 'not a credential');

    policyFile = path.join(dir, 'policy.json');
    fs.writeFileSync(policyFile, JSON.stringify({
      name: 'CPD 2025',
      cycle: { start: '2025-01-01', end: '2025-12-31' },
      requiredCredits: 20,
      creditUnit: 'CPD hours',
      categories: [{ name: 'Ethics', match: { achievementId: ['https://hospital.example/modules/ethics'] }, min: 4 }],
      acceptedRegistries: [{ chainId: system.chainId, address: system.registryAddress }],
    }));
    rosterFile = path.join(dir, 'roster.csv');
    fs.writeFileSync(rosterFile, 'licenseeId,name,email,did\nGMC-1,Ada Lovelace,,did:key:z6MkAdaLovelace\nGMC-2,Grace Hopper,grace@example.org,\n');
  });
  afterAll(async () => {
    await system?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const rpc = () => ['--rpc', system.rpcUrls[0]!];

  it('decides each licensee from the verified portfolio, with every reason, and exits 1 when one is not compliant', async () => {
    const csv = path.join(dir, 'out', 'audit.csv');
    const html = path.join(dir, 'out', 'audit.html');
    fs.mkdirSync(path.dirname(csv));
    const run = await microcred(['audit', portfolio, '--policy', policyFile, '--roster', rosterFile, ...rpc(), '--json', '--csv', csv, '--html', html]);
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout.slice(0, 3000)).toBe(1);
    const [ada, grace] = run.json.licensees;
    expect(ada).toMatchObject({ decision: 'compliant', total: 20, shortfall: 0 });
    expect(ada.counted.map((i: { file: string }) => path.basename(i.file)).sort()).toEqual(['ada-acls.json', 'ada-ethics.jwt.json']);
    expect(ada.rejected).toEqual([expect.objectContaining({ rejection: 'invalid', file: expect.stringContaining('ada-acls-copy.json') })]);
    expect(grace).toMatchObject({ decision: 'non-compliant', total: 12, shortfall: 8 });
    const why = Object.fromEntries(grace.rejected.map((i: { file: string; rejection: string }) => [path.basename(i.file), i.rejection]));
    expect(why).toEqual({ 'grace-sepsis.json': 'revoked', 'grace-old.json': 'outside-cycle' });
    expect(grace.rejected.find((i: { rejection: string }) => i.rejection === 'revoked').reason).toBe('Revoked by its issuer (reason: issued in error).');
    expect(run.json.unmatched.map((i: { file: string }) => path.basename(i.file))).toEqual(['stranger.json']);
    expect(run.json.notCredentials.map((f: string) => path.basename(f))).toEqual(['notes.txt']);
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^licensee_id,licensee_name,decision/);
    expect(rows).toHaveLength(1 + 3 + 3 + 1);
    expect(fs.readFileSync(html, 'utf8')).toContain('Grace Hopper (GMC-2): <span class="decision">NOT COMPLIANT</span>');

    // The printable report in a real browser: a screenshot kept as an artifact, and it prints to A4 pages.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`file://${html}`);
      await expect(page.getByRole('heading', { level: 2, name: /Grace Hopper \(GMC-2\): NOT COMPLIANT/ }).isVisible()).resolves.toBe(true);
      await page.screenshot({ path: screenshotPath('audit-report'), fullPage: true });
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await browser.close();
    }
  });

  it('exits 0 when every licensee is compliant, with a plain-text decision per licensee', async () => {
    const adaOnly = path.join(dir, 'ada-only.csv');
    fs.writeFileSync(adaOnly, 'licenseeId,name,did\nGMC-1,Ada Lovelace,did:key:z6MkAdaLovelace\n');
    const run = await microcred(['audit', portfolio, '--policy', policyFile, '--roster', adaOnly, ...rpc()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('COMPLIANT  Ada Lovelace (GMC-1): 20 of 20 CPD hours');
    expect(run.stdout).toMatch(/Audited 1 licensee\(s\) on \d+ credential\(s\): 1 compliant/);
  });

  it('exits 3, naming the URL, when the registry node cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await microcred(['audit', portfolio, '--policy', policyFile, '--roster', rosterFile, '--rpc', closed, '--json']);
    expect(run.code).toBe(3);
    expect(run.json.message).toContain(closed);
  });

  it('exits 3, naming both chains, when the RPC node serves another chain than the policy\'s registry', async () => {
    const otherChain = system.chainId === 1 ? 5 : 1;
    const policy = JSON.parse(fs.readFileSync(policyFile, 'utf8'));
    const wrongChainPolicy = path.join(dir, 'wrong-chain-policy.json');
    fs.writeFileSync(wrongChainPolicy, JSON.stringify({ ...policy, acceptedRegistries: [{ chainId: otherChain, address: system.registryAddress }] }));
    const run = await microcred(['audit', portfolio, '--policy', wrongChainPolicy, ...rpc(), '--json']);
    expect(run.code).toBe(3);
    expect(run.json.code).toBe('ERR_AUDIT_WRONG_CHAIN');
    expect(run.json.message).toContain(system.rpcUrls[0]!);
    expect(run.json.message).toContain(`serves chain ${system.chainId}`);
    expect(run.json.message).toContain(`Point --rpc at a node of chain ${otherChain}`);
  });

  it('usage errors exit 2 before any work: a missing report folder, an empty folder, a broken policy', async () => {
    const missing = await microcred(['audit', portfolio, '--policy', policyFile, ...rpc(), '--csv', path.join(dir, 'nope', 'a.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(path.join(dir, 'nope'));
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const none = await microcred(['audit', empty, '--policy', policyFile, ...rpc(), '--json']);
    expect(none.code).toBe(2);
    expect(none.json.message).toMatch(/No files found/);
    const junk = path.join(dir, 'junk');
    fs.mkdirSync(junk);
    fs.writeFileSync(path.join(junk, 'a.txt'), 'hello');
    expect((await microcred(['audit', junk, '--policy', policyFile, ...rpc(), '--json'])).json.code).toBe('ERR_AUDIT_NO_CREDENTIALS');
    const badPolicy = path.join(dir, 'bad-policy.json');
    fs.writeFileSync(badPolicy, JSON.stringify({ cycle: { start: '2025-01-01', end: '2025-12-31' }, requiredCredits: 'twenty' }));
    const bad = await microcred(['audit', portfolio, '--policy', badPolicy, ...rpc()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/requiredCredits/);
  });
});
