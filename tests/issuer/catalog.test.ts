// The module catalog through the issuer API (app.request, real SQLite): define once, issue a cohort by module id,
// versions on edit, retired and unknown modules refused per row, image uploads checked and served, CSV import, endorsements.
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { issuerFixture, record, type IssuerFixture } from './fixture';
import { expectProblem } from '../helpers/errors';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary members of the answer
type Any = any;

const MODULE_ID = 'https://hospital.example/modules/acls';

function call(f: IssuerFixture, method: string, path: string, options: { token?: string; body?: unknown; raw?: string | Uint8Array; type?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? f.tokens.admin}` };
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.type ?? 'application/json';
  return f.app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
}

const modulePath = (id = MODULE_ID) => `/v1/modules/${encodeURIComponent(id)}`;

/** A small real PNG made with pngjs. */
function png(width = 4, height = 4): Buffer {
  const image = new PNG({ width, height });
  image.data.fill(200);
  return PNG.sync.write(image);
}

const definition = {
  id: MODULE_ID,
  name: 'Advanced Cardiac Life Support',
  description: 'Recognition and treatment of cardiac arrest.',
  criteria: 'Passed the megacode simulation.',
  credits: 8,
  creditUnit: 'CPD hours',
  tags: ['resuscitation', 'cardiology'],
  alignments: [{ targetName: 'Clinical CPD', targetUrl: 'https://cpd.example/categories/clinical', targetCode: 'CLIN' }],
  accreditation: { name: 'Royal College of Examples CPD approval', url: 'https://college.example/cpd' },
};

async function addModule(f: IssuerFixture, extra: Record<string, unknown> = {}): Promise<Any> {
  const response = await call(f, 'POST', '/v1/modules', { body: { ...definition, ...extra } });
  expect(response.status).toBe(201);
  return response.json();
}

const cohortCsv = (moduleIds: string[]) =>
  ['learner_email,learner_name,moduleId,completed_at', ...moduleIds.map((id, i) => `learner${i}@example.org,Learner ${i},${id},2025-02-0${(i % 9) + 1}T09:00:00Z`)].join('\n');

describe('issuing by module id', () => {
  it('a CSV cohort by moduleId gets the achievement from the catalog, and a later edit changes nothing issued', async () => {
    const f = issuerFixture();
    await addModule(f);
    const issued = await call(f, 'POST', '/v1/credentials/batch?includeCredentials=true', { raw: cohortCsv([MODULE_ID, MODULE_ID, MODULE_ID]), type: 'text/csv' });
    expect(issued.status).toBe(200);
    const batch = (await issued.json()) as Any;
    expect(batch.issued).toBe(3);
    const achievement = batch.rows[0].credential.credentialSubject.achievement;
    expect(achievement).toMatchObject({ id: MODULE_ID, name: definition.name, creditsAvailable: 8, version: '1', tag: definition.tags });
    expect(achievement.alignment).toEqual([
      { type: ['Alignment'], ...definition.alignments[0] },
      { type: ['Alignment'], targetName: definition.accreditation.name, targetUrl: definition.accreditation.url, targetType: 'ext:Accreditation' },
    ]);
    const before = batch.rows.map((r: Any) => f.store.getCredential(r.credentialId)!.document);

    const edited = await call(f, 'PATCH', modulePath(), { body: { name: 'ACLS (2026 guidelines)', credits: 10 } });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ version: 2, definition: { name: 'ACLS (2026 guidelines)', credits: 10 } });
    // Issued credentials are exactly what was signed before the edit.
    expect(batch.rows.map((r: Any) => f.store.getCredential(r.credentialId)!.document)).toEqual(before);
    const again = (await (await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: { ...record(), module: undefined, moduleId: MODULE_ID } })).json()) as Any;
    expect(again.credential.credentialSubject.achievement).toMatchObject({ name: 'ACLS (2026 guidelines)', creditsAvailable: 10, version: '2' });
    // Version 1 stays readable, as credentials name it.
    const v1 = (await (await call(f, 'GET', `${modulePath()}?version=1`)).json()) as Any;
    expect(v1).toMatchObject({ version: 1, versions: [1, 2], definition: { name: definition.name, credits: 8 } });
    // Editing with the same values makes no new version.
    expect(await (await call(f, 'PATCH', modulePath(), { body: { credits: 10 } })).json()).toMatchObject({ version: 2 });
  });

  it('a retired or unknown module is refused per row; the other rows are issued', async () => {
    const f = issuerFixture();
    await addModule(f);
    await addModule(f, { id: 'https://hospital.example/modules/bls', name: 'Basic Life Support' });
    expect((await (await call(f, 'POST', `${modulePath('https://hospital.example/modules/bls')}/retire`)).json()) as Any).toMatchObject({ retired: true });
    const response = await call(f, 'POST', '/v1/credentials/batch', {
      raw: cohortCsv([MODULE_ID, 'https://hospital.example/modules/bls', 'https://hospital.example/modules/nope']),
      type: 'text/csv',
    });
    expect(response.status).toBe(207);
    const body = (await response.json()) as Any;
    expect(body.rows.map((r: Any) => r.status as string)).toEqual(['issued', 'invalid', 'invalid']);
    expect(body.rows[1].errors).toEqual([{ field: 'moduleId', message: expect.stringContaining('retired') }]);
    expect(body.rows[2].errors).toEqual([{ field: 'moduleId', message: expect.stringContaining('names no module') }]);
    // A JSON record is refused the same way, with the field named.
    const one = await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: { ...record(), module: undefined, moduleId: 'https://hospital.example/modules/bls' } });
    const problem = await expectProblem(one, 422, 'ERR_INVALID_RECORD');
    expect(problem.issues).toEqual([{ field: 'moduleId', message: expect.stringContaining('retired') }]);
    // The retired module is listed only when asked for.
    expect(((await (await call(f, 'GET', '/v1/modules')).json()) as Any).items.map((m: Any) => m.id as string)).toEqual([MODULE_ID]);
    expect(((await (await call(f, 'GET', '/v1/modules?includeRetired=true')).json()) as Any).items).toHaveLength(2);
  });

  it('module definitions are checked field by field, and writes need the admin scope', async () => {
    const f = issuerFixture();
    const bad = await call(f, 'POST', '/v1/modules', { body: { ...definition, credits: -1, tags: 'one' } });
    const problem = await expectProblem(bad, 422, 'ERR_MODULE_INVALID');
    expect(problem.issues.map((i: Any) => i.field as string).sort()).toEqual(['credits', 'tags']);
    await expectProblem(await call(f, 'POST', '/v1/modules', { token: f.tokens.issue, body: definition }), 403, 'ERR_FORBIDDEN');
    await addModule(f);
    await expectProblem(await call(f, 'POST', '/v1/modules', { body: definition }), 409, 'ERR_MODULE_EXISTS');
    await expectProblem(await call(f, 'GET', modulePath('https://hospital.example/modules/none')), 404, 'ERR_MODULE_NOT_FOUND');
  });
});

describe('badge images', () => {
  it('an uploaded PNG is served at its content address with its type and long cache headers', async () => {
    const f = issuerFixture();
    const bytes = png();
    const upload = await call(f, 'POST', '/v1/modules/images', { raw: bytes, type: 'application/octet-stream' });
    expect(upload.status).toBe(201);
    const image = (await upload.json()) as Any;
    expect(image).toMatchObject({ contentType: 'image/png', ref: `sha256:${image.sha256}` });
    expect(image.url).toBe(`https://issuer.example.org/modules/images/${image.sha256}.png`);
    const served = await f.app.request(new URL(image.url).pathname);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    // A module using it carries the served URL into the credentials issued for it.
    await addModule(f, { image: image.ref });
    const issued = (await (await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: { ...record(), module: undefined, moduleId: MODULE_ID } })).json()) as Any;
    expect(issued.credential.credentialSubject.achievement.image).toEqual({ id: image.url, type: 'Image' });
  });

  it('an SVG is served with a Content-Security-Policy that lets nothing run', async () => {
    const f = issuerFixture();
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>';
    const image = (await (await call(f, 'POST', '/v1/modules/images', { raw: svg, type: 'image/svg+xml' })).json()) as Any;
    expect(image.contentType).toBe('image/svg+xml');
    const served = await f.app.request(`/modules/images/${image.sha256}.svg`);
    expect(served.headers.get('content-type')).toBe('image/svg+xml');
    expect(served.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('a file that is not PNG, JPEG or SVG by its bytes, or too large, is refused', async () => {
    const f = issuerFixture();
    // A GIF named and labelled as a PNG: the bytes decide.
    await expectProblem(await call(f, 'POST', '/v1/modules/images', { raw: Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), type: 'image/png' }), 415, 'ERR_IMAGE_INVALID');
    await expectProblem(await call(f, 'POST', '/v1/modules/images', { raw: '<html><body>hi</body></html>', type: 'image/svg+xml' }), 415, 'ERR_IMAGE_INVALID');
    const large = Buffer.concat([png(), Buffer.alloc(600 * 1024)]);
    await expectProblem(await call(f, 'POST', '/v1/modules/images', { raw: large, type: 'image/png' }), 413, 'ERR_IMAGE_TOO_LARGE');
    await expectProblem(await f.app.request(`/modules/images/${'0'.repeat(64)}.png`), 404, 'ERR_NOT_FOUND');
    // A module cannot name an image that was never uploaded.
    const problem = await expectProblem(await call(f, 'POST', '/v1/modules', { body: { ...definition, image: `sha256:${'1'.repeat(64)}` } }), 422, 'ERR_MODULE_INVALID');
    expect(problem.issues[0].field).toBe('image');
  });
});

describe('CSV import and endorsements', () => {
  it('imports modules from CSV: added, edited as a new version, unchanged, and bad rows by column', async () => {
    const f = issuerFixture();
    const header = 'id,name,description,criteria,credits,credit_unit,tags,alignment_name,alignment_url';
    const first = [header, `${MODULE_ID},ACLS,Cardiac arrest.,Megacode.,8,CPD hours,resus;cardio,Clinical,https://cpd.example/clin`, 'https://hospital.example/modules/bls,BLS,Basics.,Practical.,x,,,,'].join('\n');
    const one = (await (await call(f, 'POST', '/v1/modules/import', { raw: first, type: 'text/csv' })).json()) as Any;
    expect(one.rows).toEqual([
      { row: 2, status: 'added', id: MODULE_ID, version: 1 },
      { row: 3, status: 'invalid', errors: [{ field: 'credits', message: 'must be a number' }] },
    ]);
    const second = [header, `${MODULE_ID},ACLS,Cardiac arrest.,Megacode.,8,CPD hours,resus;cardio,Clinical,https://cpd.example/clin`, `https://hospital.example/modules/bls,BLS,Basics.,Practical.,2,,,Clinical,not-a-url`].join('\n');
    const two = (await (await call(f, 'POST', '/v1/modules/import', { raw: second, type: 'text/csv' })).json()) as Any;
    expect(two.rows[0]).toEqual({ row: 2, status: 'unchanged', id: MODULE_ID, version: 1 });
    expect(two.rows[1]).toMatchObject({ row: 3, status: 'invalid', errors: [{ field: 'alignment_url' }] });
    const third = [header, `${MODULE_ID},ACLS,Cardiac arrest.,Megacode.,6,CPD hours,resus,,`].join('\n');
    const three = (await (await call(f, 'POST', '/v1/modules/import', { raw: third, type: 'text/csv' })).json()) as Any;
    expect(three.rows[0]).toEqual({ row: 2, status: 'edited', id: MODULE_ID, version: 2 });
    const shown = (await (await call(f, 'GET', modulePath())).json()) as Any;
    expect(shown.definition).toEqual({ id: MODULE_ID, name: 'ACLS', description: 'Cardiac arrest.', criteria: 'Megacode.', credits: 6, creditUnit: 'CPD hours', tags: ['resus'] });
  });

  it('attaches only a signed EndorsementCredential about the module; credentials issued after carry it', async () => {
    const f = issuerFixture();
    await addModule(f);
    const endorsement = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: 'urn:uuid:0f0e0d0c-0b0a-4909-8807-060504030201',
      type: ['VerifiableCredential', 'EndorsementCredential'],
      issuer: { id: 'did:key:z6MkExampleCollege', type: ['Profile'], name: 'College' },
      validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: { id: MODULE_ID, type: ['EndorsementSubject'], endorsementComment: 'Accredited.' },
      proof: [{ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofValue: 'z1' }],
    };
    const wrongSubject = { ...endorsement, credentialSubject: { ...endorsement.credentialSubject, id: 'https://elsewhere.example/x' } };
    await expectProblem(await call(f, 'POST', `${modulePath()}/endorsements`, { body: wrongSubject }), 422, 'ERR_ENDORSEMENT_INVALID');
    const { proof: _proof, ...unsigned } = endorsement;
    await expectProblem(await call(f, 'POST', `${modulePath()}/endorsements`, { body: unsigned }), 422, 'ERR_ENDORSEMENT_INVALID');
    const attached = await call(f, 'POST', `${modulePath()}/endorsements`, { body: endorsement });
    expect(attached.status).toBe(201);
    expect(((await attached.json()) as Any).endorsements).toEqual([{ id: endorsement.id, endorser: 'did:key:z6MkExampleCollege', attachedAt: expect.any(String) }]);
    const issued = (await (await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: { ...record(), module: undefined, moduleId: MODULE_ID } })).json()) as Any;
    expect(issued.credential.credentialSubject.achievement.endorsement).toEqual([endorsement]);
  });
});
