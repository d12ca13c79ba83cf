// The catalog and endorsement commands as real processes against a real `hardhat node`: an accrediting body's data
// folder endorses a module (`microcred endorse --anchor`), the hospital defines the module, attaches the endorsement,
// issues a cohort by module id, edits and retires the module; `microcred verify` accepts the endorsement.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardhatDevAccounts } from '../../src/chain/dev-accounts';
import { microcredSync, type CliResult } from '../helpers/cli';
import { startHardhatNode, type HardhatNode } from '../helpers/hardhat-node';

const ACLS = 'https://hospital.example/modules/acls';

describe('microcred module and endorse', () => {
  let dir: string;
  let hospital: string;
  let college: string;
  let node: HardhatNode;
  let chain: string[];
  const run = (args: string[], data: string): CliResult => microcredSync([...args, '--data', data]);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-catalog-cli-'));
    hospital = path.join(dir, 'hospital');
    college = path.join(dir, 'college');
    node = await startHardhatNode();
  });
  afterAll(async () => {
    await node?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('defines a module, has it endorsed by a second registered identity, and issues a cohort by module id', () => {
    const hospitalDid = run(['init', '--json'], hospital).json.did as string;
    const collegeDid = run(['init', '--json'], college).json.did as string;
    const registry = run(['registry', 'deploy', '--rpc', node.url, '--json'], hospital).json.address as string;
    chain = ['--rpc', node.url, '--registry', registry];
    const accounts = hardhatDevAccounts(3);
    expect(run(['registry', 'add-issuer', accounts[1]!.address, '--did', hospitalDid, '--name', 'St Example Hospital', ...chain, '--json'], hospital).code).toBe(0);
    expect(run(['registry', 'add-issuer', accounts[2]!.address, '--did', collegeDid, '--name', 'Royal College of Examples', ...chain, '--json'], hospital).code).toBe(0);
    const collegeKey = path.join(dir, 'college.key');
    fs.writeFileSync(collegeKey, accounts[2]!.privateKey, { mode: 0o600 });

    // The accrediting body endorses the module, anchored at once, into a file.
    const endorsementFile = path.join(dir, 'acls-endorsement.json');
    const endorsed = run(['endorse', ACLS, '--comment', 'Accredited for 8 CPD hours', '--valid-until', '2030-12-31', '--anchor', '--out', endorsementFile, '--key-file', collegeKey, ...chain, '--json'], college);
    expect(endorsed.code, endorsed.stdout + endorsed.stderr).toBe(0);
    expect(endorsed.json).toMatchObject({ anchorState: 'anchored', endorsement: { type: ['VerifiableCredential', 'EndorsementCredential'], credentialSubject: { id: ACLS } } });
    // Checked as a licensing body would, with the body's status lists exported to a folder (no server runs here).
    const lists = path.join(dir, 'lists');
    expect(run(['status', 'export', lists], college).code).toBe(0);
    const verified = microcredSync(['verify', endorsementFile, ...chain, '--status-lists', lists, '--json']);
    expect(verified.code, verified.stdout).toBe(0);

    // The hospital defines the module once, with an uploaded image, and attaches the endorsement.
    const image = path.join(dir, 'acls.png');
    const png = new PNG({ width: 2, height: 2 });
    fs.writeFileSync(image, PNG.sync.write(png));
    const added = run(['module', 'add', '--id', ACLS, '--name', 'Advanced Cardiac Life Support', '--description', 'Cardiac arrest.', '--criteria', 'Megacode passed.', '--credits', '8', '--credit-unit', 'CPD hours', '--tag', 'resuscitation', '--image', image, '--json'], hospital);
    expect(added.code, added.stderr).toBe(0);
    expect(added.json.result).toMatchObject({ id: ACLS, version: 1, imageUrl: expect.stringMatching(/\/modules\/images\/[0-9a-f]{64}\.png$/) });
    expect(run(['module', 'add', '--id', ACLS, '--name', 'x', '--description', 'x', '--criteria', 'x', '--json'], hospital).json.code).toBe('ERR_MODULE_EXISTS');
    const attached = run(['module', 'endorse', ACLS, endorsementFile, '--json'], hospital);
    expect(attached.code, attached.stdout).toBe(0);
    expect(attached.json.result.endorsements).toEqual([expect.objectContaining({ endorser: collegeDid })]);

    // A cohort by module id; a second module retired is refused per row.
    expect(run(['module', 'add', '--id', 'https://hospital.example/modules/bls', '--name', 'BLS', '--description', 'Basics.', '--criteria', 'Practical.', '--json'], hospital).code).toBe(0);
    expect(run(['module', 'retire', 'https://hospital.example/modules/bls', '--json'], hospital).json.result.retired).toBe(true);
    const csv = path.join(dir, 'cohort.csv');
    fs.writeFileSync(csv, ['learner_email,moduleId,completed_at', `ada@example.org,${ACLS},2025-02-28T09:30:00Z`, `bob@example.org,${ACLS},2025-02-28T09:30:00Z`, 'cy@example.org,https://hospital.example/modules/bls,2025-02-28T09:30:00Z'].join('\n'));
    const out = path.join(dir, 'issued');
    const issued = run(['issue', '--csv', csv, '--out', out, '--json'], hospital);
    expect(issued.code).toBe(1);
    expect(issued.json.rows.map((r: { status: string }) => r.status)).toEqual(['issued', 'issued', 'invalid']);
    expect(issued.json.rows[2].errors[0].field).toBe('moduleId');
    const files = fs.readdirSync(out);
    expect(files).toHaveLength(2);
    const credential = JSON.parse(fs.readFileSync(path.join(out, files[0]!), 'utf8'));
    expect(credential.credentialSubject.achievement).toMatchObject({ id: ACLS, name: 'Advanced Cardiac Life Support', version: '1', creditsAvailable: 8, endorsement: [expect.objectContaining({ id: endorsed.json.id })] });
    const one = run(['issue', '--email', 'dee@example.org', '--module-id', ACLS, '--completed-at', '2025-02-28T09:30:00Z', '--json'], hospital);
    expect(one.code, one.stdout + one.stderr).toBe(0);

    // Editing makes version 2; the files issued keep version 1.
    const edited = run(['module', 'edit', ACLS, '--credits', '10', '--json'], hospital);
    expect(edited.json.result).toMatchObject({ version: 2, definition: { credits: 10 } });
    const shown = run(['module', 'show', ACLS, '--module-version', '1', '--json'], hospital);
    expect(shown.json.result).toMatchObject({ version: 1, versions: [1, 2], definition: { credits: 8 } });
    expect(run(['module', 'list'], hospital).stdout).toContain(`${ACLS}  v2`);
    expect(run(['module', 'list', '--all', '--json'], hospital).json.result).toHaveLength(2);
    expect(run(['module', 'show', 'https://hospital.example/modules/none'], hospital).code).toBe(2);

    // A module CSV import, with a bad row reported by column.
    const modules = path.join(dir, 'modules.csv');
    fs.writeFileSync(modules, ['id,name,description,criteria,credits', 'https://hospital.example/modules/pals,PALS,Paediatric.,Simulation.,6', 'https://hospital.example/modules/nls,NLS,Newborn.,Simulation.,lots'].join('\n'));
    const imported = run(['module', 'import', modules, '--json'], hospital);
    expect(imported.code).toBe(1);
    expect(imported.json.rows).toEqual([
      { row: 2, status: 'added', id: 'https://hospital.example/modules/pals', version: 1 },
      { row: 3, status: 'invalid', errors: [{ field: 'credits', message: 'must be a number' }] },
    ]);
  }, 300_000);
});
