// The issued Data Integrity credential, bare and anchored, against the Open Badges 3.0 AchievementCredential JSON Schema (ajv).
import { describe, expect, it } from 'vitest';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { buildCredential } from '../../src/credential';
import { achievementExtrasOf, buildEndorsement, parseModuleDefinition } from '../../src/issuer';
import { SigningKey, createDidKeyIssuer, signDataIntegrity } from '../../src/signing';
import { attachAnchorProof, encodeAnchorProof } from '../../src/anchoring/anchor-proof';
import { readVector, sampleRecord, testLoader } from '../signing/fixtures';

const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(readVector<object>('openbadges-3.0/achievementcredential-schema.transcribed.json'));
const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'St Example Hospital', url: 'https://hospital.example' });
const now = () => new Date('2025-03-02T08:00:00Z');

function errorsOf(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

async function issued(): Promise<Record<string, unknown>> {
  const credential = buildCredential({ record: sampleRecord(), issuer: issuer.profile, now });
  return signDataIntegrity(credential, { signingKey: issuer.signingKey, loader: testLoader, now });
}

describe('Open Badges 3.0 JSON Schema', () => {
  it('the issued Data Integrity credential validates, with proof as an array', async () => {
    const credential = await issued();
    expect(Array.isArray(credential.proof)).toBe(true);
    expect(errorsOf(credential)).toEqual([]);
  });

  it('the anchored form (signature + anchor proof) validates', async () => {
    const credential = await issued();
    const anchor = { chain: 'eip155:31337', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', root: `0x${'ab'.repeat(32)}`, path: [], transaction: `0x${'cd'.repeat(32)}`, block: 7 };
    const anchored = attachAnchorProof('di', JSON.stringify(credential), encodeAnchorProof(anchor, '2025-03-02T08:05:00Z'));
    expect(anchored.proof).toHaveLength(2);
    expect(errorsOf(anchored)).toEqual([]);
  });

  it('a credential from a catalog module (version, tags, alignments, an embedded anchored endorsement) validates', async () => {
    const body = createDidKeyIssuer(SigningKey.generate(), { name: 'Royal College of Examples', url: 'https://college.example' });
    const module = sampleRecord().module as { id: string };
    const unsignedEndorsement = { ...buildEndorsement({ achievementId: module.id, comment: 'Accredited for 8 CPD hours.' }, body.profile, now), id: 'urn:uuid:6f1c1a52-52a4-4d1c-9a57-3d0f1f2f7e11' };
    const endorsement = await signDataIntegrity(unsignedEndorsement, { signingKey: body.signingKey, loader: testLoader, now });
    const anchor = { chain: 'eip155:31337', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', root: `0x${'ab'.repeat(32)}`, path: [], transaction: `0x${'cd'.repeat(32)}`, block: 7 };
    const anchoredEndorsement = attachAnchorProof('di', JSON.stringify(endorsement), encodeAnchorProof(anchor, '2025-03-02T08:05:00Z'));
    const definition = parseModuleDefinition({
      ...module,
      tags: ['resuscitation'],
      alignments: [{ targetName: 'Clinical CPD', targetUrl: 'https://cpd.example/clinical', targetCode: 'CLIN' }],
      accreditation: { name: 'Royal College CPD approval', url: 'https://college.example/cpd' },
      credits: 8,
    });
    const credential = buildCredential({ record: sampleRecord(), issuer: issuer.profile, now, achievementExtras: achievementExtrasOf(definition, 3, [anchoredEndorsement]) });
    const signed = await signDataIntegrity(credential, { signingKey: issuer.signingKey, loader: testLoader, now });
    expect((signed.credentialSubject as { achievement: Record<string, unknown> }).achievement).toMatchObject({ version: '3', tag: ['resuscitation'], endorsement: [anchoredEndorsement] });
    expect(errorsOf(signed)).toEqual([]);
  });

  it('refuses what the schema refuses: a single proof object, no validFrom, a plain issuer string', async () => {
    const credential = await issued();
    const [proof] = credential.proof as unknown[];
    expect(errorsOf({ ...credential, proof })).toContain('/proof must be array');
    const { validFrom: _v, ...undated } = credential;
    expect(errorsOf(undated)).toContain(" must have required property 'validFrom'");
    expect(errorsOf({ ...credential, issuer: issuer.did })).toContain('/issuer must be object');
  });
});
