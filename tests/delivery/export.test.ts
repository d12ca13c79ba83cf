// Final exports against the real system (issuer server on 127.0.0.1, embedded chain, real SQLite, the real CLI): a
// cohort issued through the API and through `microcred issue --wait`, exported by batch, cohort CSV and ids; every
// exported file verifies valid with `microcred verify`; a credential not yet anchored is never exported.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { startSystem, type RunningSystem } from '../../src/runtime/system';
import { microcred, type CliResult } from '../helpers/cli';
import { freePort } from '../helpers/free-port';
import { TEMPLATE_SVG } from './fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-export-'));
const data = path.join(dir, 'data');

const HEADER = 'learner_email,learner_did,learner_name,module_id,module_name,module_description,criteria,credits,completed_at,valid_for';
// Two learners with the same name on the same module (their files must still differ), a name with characters no file
// system likes, and a holder-DID learner without a name.
const API_COHORT = [
  HEADER,
  'zoe@example.org,,Zoë O\'Brien/Łukasz,https://hospital.example/m/acls,ACLS: Advanced Cardiac Life Support,Cardiac arrest care,Passed,8,2025-02-28T09:30:00Z,P2Y',
  'ann1@example.org,,Ann Lee,https://hospital.example/m/acls,ACLS: Advanced Cardiac Life Support,Cardiac arrest care,Passed,8,2025-02-28T09:30:00Z,P2Y',
  'ann2@example.org,,Ann Lee,https://hospital.example/m/acls,ACLS: Advanced Cardiac Life Support,Cardiac arrest care,Passed,8,2025-02-28T09:30:00Z,P2Y',
  ',did:example:holder-7,,https://hospital.example/m/acls,ACLS: Advanced Cardiac Life Support,Cardiac arrest care,Passed,8,2025-02-28T09:30:00Z,P2Y',
].join('\n');
const CLI_COHORT = [
  HEADER,
  'grace@example.org,,Grace Hopper,https://hospital.example/m/bls,Basic Life Support,CPR and AED,Passed,4,2025-03-01T08:00:00Z,P2Y',
  'alan@example.org,,Alan Turing,https://hospital.example/m/bls,Basic Life Support,CPR and AED,Passed,4,2025-03-01T08:00:00Z,P2Y',
].join('\n');

/** A readable, portable export name: Learner_Module_8-hex.ext, only letters, digits, "-" and "_". */
const READABLE = /^[\p{L}\p{N}-]+_[\p{L}\p{N}-]+_[0-9a-f]{8,32}\.(json|pdf|svg|png)$/u;

describe('final exports', () => {
  let system: RunningSystem;
  let token: string;
  let env: Record<string, string>;
  const cli = (args: string[]): Promise<CliResult> => microcred([...args, '--data', data], { env });
  const verify = (target: string): Promise<CliResult> =>
    microcred(['verify', target, '--rpc', system.rpcUrls[0]!, '--chain-id', String(system.chainId), '--registry', system.registryAddress, '--json']);
  const api = async (method: string, route: string, body?: string, type = 'application/json'): Promise<Response> =>
    fetch(`${system.url}${route}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) }, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    const port = await freePort();
    const chainPort = await freePort();
    // A one-second batch interval: the server's own outbox anchors what the CLI issues into the same database.
    const config = loadConfig({ env: {}, overrides: { dataDir: data, port, chain: { embeddedPort: chainPort }, batch: { maxAgeSeconds: 1 } } });
    system = await startSystem({ config, env: {} });
    token = system.issuer!.store.createToken('registrar', ['issue', 'status'], 'test').token;
    // The CLI on the same data folder: the same public URL (status lists) and chain port as the server.
    env = { MICROCRED_PORT: String(port), MICROCRED_CHAIN_PORT: String(chainPort) };
  });
  afterAll(async () => {
    await system?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a cohort issued through the API: batch and list answers name the learner and the state; export --batch, --cohort and a CSV of ids verify valid', async () => {
    const issued = await api('POST', '/v1/credentials/batch', API_COHORT, 'text/csv');
    expect(issued.status).toBe(200);
    const batch = (await issued.json()) as { rows: Array<{ row: number; credentialId: string; batchId: number; learnerName: string | null; state: string }> };
    expect(batch.rows.map((r) => [r.learnerName, r.state])).toEqual([
      ["Zoë O'Brien/Łukasz", 'pending_anchor'],
      ['Ann Lee', 'pending_anchor'],
      ['Ann Lee', 'pending_anchor'],
      [null, 'pending_anchor'],
    ]);
    const ids = batch.rows.map((r) => r.credentialId);
    const batchId = batch.rows[0]!.batchId;
    expect(batch.rows.every((r) => r.batchId === batchId)).toBe(true);
    await system.issuer!.anchorer.anchorNow();
    const list = (await (await api('GET', `/v1/credentials?batch=${batchId}`)).json()) as { items: Array<{ id: string; state: string; learnerName: string | null }> };
    expect(list.items.map((i) => i.state)).toEqual(['anchored', 'anchored', 'anchored', 'anchored']);
    expect(list.items.map((i) => i.learnerName).sort()).toEqual(['Ann Lee', 'Ann Lee', "Zoë O'Brien/Łukasz", null].sort());

    // By batch: four files, readable and unique names, each the anchored credential.
    const byBatch = path.join(dir, 'by-batch');
    const exported = await cli(['export', '--batch', String(batchId), '--out', byBatch, '--json']);
    expect(exported.code, exported.stdout + exported.stderr).toBe(0);
    const names = fs.readdirSync(byBatch).sort();
    expect(names).toHaveLength(4);
    for (const name of names) expect(name).toMatch(READABLE);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(4);
    expect(names.filter((n) => n.startsWith('Ann-Lee_ACLS-Advanced-Cardiac-Life-Support_'))).toHaveLength(2);
    expect(names.some((n) => n.startsWith('Zoe-O-Brien-Lukasz_ACLS-'))).toBe(true);
    expect(names.some((n) => n.startsWith('learner_ACLS-'))).toBe(true);
    for (const w of exported.json.written as Array<{ credentialId: string; file: string }>) {
      const credential = JSON.parse(fs.readFileSync(w.file, 'utf8')) as { id: string; proof: unknown[] };
      expect(credential.id).toBe(w.credentialId);
      expect(credential.proof).toHaveLength(2); // the signature and the anchor proof
      expect(path.basename(w.file)).toContain(w.credentialId.slice('urn:uuid:'.length, 'urn:uuid:'.length + 8));
    }
    const verified = await verify(byBatch);
    expect(verified.code, verified.stdout.slice(0, 2000)).toBe(0);
    expect(verified.json.summary).toMatchObject({ total: 4, valid: 4 });

    // By the original cohort CSV, as PDF certificates: the rows are matched to the same four credentials.
    const cohortFile = path.join(dir, 'api-cohort.csv');
    fs.writeFileSync(cohortFile, API_COHORT);
    const byCohort = path.join(dir, 'by-cohort');
    const fromCohort = await cli(['export', '--cohort', cohortFile, '--out', byCohort, '--format', 'pdf', '--json']);
    expect(fromCohort.code, fromCohort.stdout + fromCohort.stderr).toBe(0);
    expect((fromCohort.json.written as Array<{ credentialId: string; row: number }>).map((w) => [w.row, w.credentialId])).toEqual(batch.rows.map((r) => [r.row, r.credentialId]));
    expect(fs.readdirSync(byCohort).every((n) => READABLE.test(n) && n.endsWith('.pdf'))).toBe(true);
    const verifiedPdfs = await verify(byCohort);
    expect(verifiedPdfs.code, verifiedPdfs.stdout.slice(0, 2000)).toBe(0);
    expect(verifiedPdfs.json.summary).toMatchObject({ total: 4, valid: 4 });

    // A CSV of ids, baked into SVG badges.
    const idsFile = path.join(dir, 'ids.csv');
    fs.writeFileSync(idsFile, `credential_id\n${ids[0]}\n${ids[3]!.slice('urn:uuid:'.length)}\n`);
    const template = path.join(dir, 'badge.svg');
    fs.writeFileSync(template, TEMPLATE_SVG);
    const byIds = path.join(dir, 'by-ids');
    const fromIds = await cli(['export', '--cohort', idsFile, '--out', byIds, '--format', 'svg', '--image', template, '--json']);
    expect(fromIds.code, fromIds.stdout + fromIds.stderr).toBe(0);
    expect((fromIds.json.written as Array<{ credentialId: string }>).map((w) => w.credentialId)).toEqual([ids[0], ids[3]]);
    const verifiedSvgs = await verify(byIds);
    expect(verifiedSvgs.code, verifiedSvgs.stdout.slice(0, 2000)).toBe(0);
    expect(verifiedSvgs.json.summary).toMatchObject({ total: 2, valid: 2 });

    // The folder is checked before any work: files of the same names are never replaced unasked.
    const again = await cli(['export', '--batch', String(batchId), '--out', byBatch, '--json']);
    expect(again.code).toBe(2);
    expect(again.json.code).toBe('ERR_EXPORT_OUTPUT');
    expect(fs.readdirSync(byBatch)).toHaveLength(4);
    expect((await cli(['export', '--batch', String(batchId), '--out', byBatch, '--force'])).code).toBe(0);

    // A revoked credential is listed, not exported (exit 1); the others are written.
    expect((await api('POST', `/v1/credentials/${encodeURIComponent(ids[1]!)}/revoke`, JSON.stringify({ reasonCode: 'issued_in_error' }))).status).toBe(202);
    const afterRevoke = await cli(['export', '--batch', String(batchId), '--out', path.join(dir, 'after-revoke'), '--json']);
    expect(afterRevoke.code).toBe(1);
    expect(afterRevoke.json.notExported).toEqual([expect.objectContaining({ credentialId: ids[1], state: 'revoked' })]);
    expect(afterRevoke.json.written).toHaveLength(3);
  });

  it('microcred issue --csv --wait writes the anchored form, named for people, and it verifies valid', async () => {
    const cohortFile = path.join(dir, 'cli-cohort.csv');
    fs.writeFileSync(cohortFile, CLI_COHORT);
    const out = path.join(dir, 'issued-and-anchored');
    const run = await cli(['issue', '--csv', cohortFile, '--out', out, '--wait', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.json).toMatchObject({ ok: true, issued: 2, form: 'anchored' });
    const names = fs.readdirSync(out).sort();
    expect(names.map((n) => n.replace(/_[0-9a-f]{8}\.json$/, ''))).toEqual(['Alan-Turing_Basic-Life-Support', 'Grace-Hopper_Basic-Life-Support']);
    for (const name of names) expect((JSON.parse(fs.readFileSync(path.join(out, name), 'utf8')) as { proof: unknown[] }).proof).toHaveLength(2);
    const verified = await verify(out);
    expect(verified.code, verified.stdout.slice(0, 2000)).toBe(0);
    expect(verified.json.summary).toMatchObject({ total: 2, valid: 2 });

    // Without --wait the files are the pre-anchoring form, and the message says how to get the final one.
    const early = await cli(['issue', '--csv', cohortFile, '--out', path.join(dir, 'early')]);
    expect(early.code).toBe(0);
    expect(early.stdout).toContain('pre-anchoring form');
    expect(early.stdout).toMatch(/microcred export --batch \d+ --out /);
  });

  it('a credential not anchored yet is never exported, and --wait gives up with exit 3 saying what to do', async () => {
    // A data folder no server anchors: its credentials stay pending, whatever the clock does.
    const alone = path.join(dir, 'alone');
    const cohortFile = path.join(dir, 'pending.csv');
    fs.writeFileSync(cohortFile, CLI_COHORT);
    const waited = await microcred(['issue', '--csv', cohortFile, '--out', path.join(dir, 'never'), '--wait', '--wait-timeout', '1', '--data', alone, '--json']);
    expect(waited.code).toBe(3);
    expect(waited.json.code).toBe('ERR_ANCHOR_WAIT_TIMEOUT');
    expect(waited.json.message).toMatch(/microcred serve.*microcred anchor.*microcred export --batch \d+ --out /s);
    expect(fs.readdirSync(path.join(dir, 'never'))).toEqual([]);
    const ids = waited.json.details.issued as string[];
    expect(ids).toHaveLength(2);

    const out = path.join(dir, 'pending-out');
    const exported = await microcred(['export', '--id', ids[0]!, '--id', ids[1]!, '--out', out, '--data', alone, '--json']);
    expect(exported.code).toBe(3);
    expect(exported.json.written).toEqual([]);
    expect(exported.json.notExported.map((n: { credentialId: string; state: string }) => [n.credentialId, n.state])).toEqual([
      [ids[0], 'pending_anchor'],
      [ids[1], 'pending_anchor'],
    ]);
    expect(fs.readdirSync(out)).toEqual([]);
    const human = await microcred(['export', '--cohort', cohortFile, '--out', out, '--data', alone]);
    expect(human.code).toBe(3);
    expect(human.stdout).toContain('is not anchored yet');
    expect((await microcred(['export', '--out', out, '--data', alone])).code).toBe(2); // nothing selected
  });
});
