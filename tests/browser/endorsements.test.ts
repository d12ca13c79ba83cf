// Endorsements from accrediting bodies against a real `hardhat node`: one by a second registered identity verifies;
// one from an unregistered DID, a revoked one and an expired one are reported as such and do not count; the verifier's
// and the audit's policies can require one; the page (real headless Chromium) names only the endorsements that verify.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuditPolicy, runAudit } from '../../src/audit';
import { DEV_CHAIN_ID } from '../../src/chain';
import { buildEndorsement } from '../../src/issuer';
import { signDataIntegrity, type IssuerKeyring } from '../../src/signing';
import { createVerifier, type Verifier } from '../../src/verify';
import { launchChromium, screenshotPath, startPageServer, type PageServer } from '../helpers/browser';
import { startRegistryNode, type RegistryNode } from '../helpers/registry-node';
import { NOW, anchorBatch, makeIssuer, record, unsigned } from '../verify/fixtures';

const hospital = makeIssuer('St Example Hospital');
const college = makeIssuer('Royal College of Examples');
const stranger = makeIssuer('Self-styled Accreditation Board');
const learner = makeIssuer('A learner with a wallet');
const COLLEGE_NAME = 'Royal College of Examples (registered)';
const ACLS = record().module as Record<string, unknown>;
const BLS = { ...ACLS, id: 'https://hospital.example/modules/bls', name: 'Basic Life Support', credits: 4 };
const SIGNED_AT = () => new Date('2025-03-02T08:00:00Z');

let chain: RegistryNode;
let verifier: Verifier;
let server: PageServer;
let browser: Browser;
let folder: string;
/** ACLS carrying all four endorsements; BLS carrying only the three that do not verify. */
let acls: Record<string, unknown>;
let bls: Record<string, unknown>;

async function endorsement(by: IssuerKeyring, achievementId: string, dates: { validFrom?: Date; validUntil?: Date } = {}): Promise<Record<string, unknown>> {
  const unsignedEndorsement = buildEndorsement({ achievementId, comment: `Accredited for CPD by ${by.profile.name}.`, validFrom: dates.validFrom ?? new Date('2025-01-01T00:00:00Z'), ...dates }, by.profile, SIGNED_AT);
  unsignedEndorsement.id = `urn:uuid:${crypto.randomUUID()}`;
  return signDataIntegrity(unsignedEndorsement, { signingKey: by.signingKey, now: SIGNED_AT });
}

/** A credential of the hospital for `module`, carrying `endorsements` in its achievement. */
async function credentialWith(module: Record<string, unknown>, endorsements: Record<string, unknown>[]): Promise<Record<string, unknown>> {
  const { image: _image, ...shown } = module;
  const credential = unsigned(hospital, { module: shown, learner: { did: learner.did, name: 'Ada Lovelace' } });
  const subject = credential.credentialSubject as { achievement: Record<string, unknown> };
  subject.achievement.endorsement = endorsements;
  return signDataIntegrity(credential, { signingKey: hospital.signingKey, now: SIGNED_AT });
}

beforeAll(async () => {
  chain = await startRegistryNode(hospital.did, 'St Example Teaching Hospital', [{ did: college.did, name: COLLEGE_NAME }]);
  const collegeClient = chain.otherClients[0]!;
  const anchorAs = (client: typeof collegeClient) => ({ chainId: DEV_CHAIN_ID, registry: chain.registry, anchorRoot: (root: string) => client.anchor(root) });
  const endorsementsFor = async (achievementId: string) => {
    const documents = [
      await endorsement(college, achievementId),
      await endorsement(college, achievementId),
      await endorsement(college, achievementId, { validFrom: new Date('2024-01-01T00:00:00Z'), validUntil: new Date('2025-01-01T00:00:00Z') }),
    ];
    const batch = await anchorBatch(documents, anchorAs(collegeClient));
    await collegeClient.revoke(batch.leaves[1]!, batch.root, batch.paths[1]!, 3);
    // The stranger is not in the registry: its endorsement is signed, but no registered operator anchors for it.
    const [strangers] = (await anchorBatch([await endorsement(stranger, achievementId)], anchorAs(collegeClient))).anchored;
    return { good: batch.anchored[0]!, revoked: batch.anchored[1]!, expired: batch.anchored[2]!, stranger: strangers! };
  };
  const forAcls = await endorsementsFor(ACLS.id as string);
  const forBls = await endorsementsFor(BLS.id);
  const issued = await anchorBatch(
    [await credentialWith(ACLS, [forAcls.good, forAcls.revoked, forAcls.expired, forAcls.stranger]), await credentialWith(BLS, [forBls.revoked, forBls.expired, forBls.stranger])],
    anchorAs(chain.issuerClient),
  );
  [acls, bls] = issued.anchored as [Record<string, unknown>, Record<string, unknown>];
  folder = mkdtempSync(path.join(os.tmpdir(), 'microcred-endorsements-'));
  writeFileSync(path.join(folder, 'acls.json'), JSON.stringify(acls));
  writeFileSync(path.join(folder, 'bls.json'), JSON.stringify(bls));
  verifier = createVerifier({ chain: { rpcUrls: [chain.node.url], chainId: DEV_CHAIN_ID, registryAddress: chain.registry, statusTtlMs: 0 }, now: () => NOW });
  server = await startPageServer(verifier);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  verifier?.close();
  await chain?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const codesOf = (reasons: readonly { code: string }[]) => reasons.map((r) => r.code);

describe('verifying endorsements', () => {
  it('reports each endorsement: the registered body’s verifies; unregistered, revoked and expired ones do not count', async () => {
    const outcome = await verifier.verify(acls);
    expect(outcome.verdict).toBe('valid');
    const [good, revoked, expired, strange] = outcome.endorsements!;
    expect(good).toMatchObject({ endorser: college.did, endorserName: COLLEGE_NAME, verdict: 'valid', verified: true, reasons: [] });
    expect(revoked).toMatchObject({ endorser: college.did, verified: false, verdict: 'invalid', flags: ['revoked'] });
    expect(codesOf(revoked!.reasons)).toContain('REVOCATION_REVOKED');
    expect(expired).toMatchObject({ verified: false, verdict: 'invalid', flags: ['expired'] });
    expect(codesOf(expired!.reasons)).toContain('VALIDITY_EXPIRED');
    expect(strange).toMatchObject({ endorser: stranger.did, verified: false });
    expect(codesOf(strange!.reasons)).toContain('ISSUER_NOT_REGISTERED');
    expect(outcome.summary?.accreditedBy).toEqual([COLLEGE_NAME]);
    expect(outcome.checks.find((c) => c.check === 'endorsement')).toMatchObject({ status: 'passed', code: 'ENDORSEMENTS_PARTLY_VERIFIED', data: { total: 4, verified: 1 } });
    // Endorsements that do not verify never make the credential itself invalid.
    const other = await verifier.verify(bls);
    expect(other.verdict).toBe('valid');
    expect(other.endorsements!.every((e) => !e.verified)).toBe(true);
    expect(other.summary?.accreditedBy).toBeUndefined();
  });

  it('a verifier policy requiring the body’s endorsement accepts only the credential that carries a verified one', async () => {
    const requiring = createVerifier({ chain: { reader: verifier.reader! }, now: () => NOW, policy: { requireEndorsementBy: [college.did] } });
    const endorsed = await requiring.verify(acls);
    expect(endorsed.verdict).toBe('valid');
    expect(endorsed.checks.find((c) => c.check === 'endorsement')?.code).toBe('ENDORSEMENT_REQUIRED_PRESENT');
    const notEndorsed = await requiring.verify(bls);
    expect(notEndorsed.verdict).toBe('invalid');
    expect(codesOf(notEndorsed.reasons)).toEqual(['ENDORSEMENT_REQUIRED_MISSING']);
    // Requiring the unregistered body: its signed endorsement is there, but does not verify, so nothing counts.
    const byStranger = createVerifier({ chain: { reader: verifier.reader! }, now: () => NOW, policy: { requireEndorsementBy: [stranger.did] } });
    expect((await byStranger.verify(acls)).verdict).toBe('invalid');
  });

  it('an audit whose policy requires an endorsement counts only the endorsed module', async () => {
    const base = { cycle: { start: '2025-01-01', end: '2025-12-31' }, requiredCredits: 12, creditUnit: 'CPD hours', acceptedRegistries: [{ chainId: DEV_CHAIN_ID, address: chain.registry }] };
    const without = await runAudit([folder], { policy: parseAuditPolicy(base), verifier });
    expect(without.licensees[0]).toMatchObject({ decision: 'compliant', total: 12 });
    const requiring = await runAudit([folder], { policy: parseAuditPolicy({ ...base, requireEndorsementBy: [college.did] }), verifier });
    const [decision] = requiring.licensees;
    expect(decision).toMatchObject({ decision: 'non-compliant', total: 8, shortfall: 4 });
    expect(decision!.counted.map((i) => i.achievementId)).toEqual([ACLS.id]);
    expect(decision!.rejected.map((i) => [i.achievementId, i.rejection])).toEqual([[BLS.id, 'not-endorsed']]);
  });
});

describe('the page', () => {
  it('says "Accredited by" only for the endorsement that verifies', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    for (const [name, credential] of [['acls', acls], ['bls', bls]] as const) {
      await page.goto(`${server.url}/`);
      await page.getByLabel('Credential (JSON or JWS)').fill(JSON.stringify(credential));
      await page.getByRole('button', { name: 'Verify credential' }).click();
      await page.getByRole('status').filter({ hasText: 'Verification result' }).waitFor({ timeout: 30_000 });
      const text = await page.locator('#result').innerText();
      expect(text).not.toContain(stranger.profile.name);
      if (name === 'acls') {
        expect(text).toContain('Accredited by');
        expect(text).toContain(COLLEGE_NAME);
        await page.screenshot({ path: screenshotPath('endorsement-accredited'), fullPage: true });
      } else {
        expect(text).not.toContain('Accredited by');
        expect(text).not.toContain(COLLEGE_NAME);
      }
    }
    await page.context().close();
  });
});
