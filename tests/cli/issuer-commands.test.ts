// The issuer-side CLI as real child processes against a temp data folder and a real `hardhat node`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { hardhatDevAccounts } from '../../src/chain/dev-accounts';
import { defaultDocumentLoader } from '../../src/contexts/loader';
import { microcredSync, type CliResult } from '../helpers/cli';
import { startHardhatNode, type HardhatNode } from '../helpers/hardhat-node';
import { revertTo, snapshot } from '../anchoring/fixtures/chain-control';

/** `microcred <args> --data <dataDir>` as a real process. */
function microcred(args: string[], dataDir: string, env: Record<string, string> = {}): CliResult {
  return microcredSync([...args, '--data', dataDir], { env });
}

const CSV = [
  'learner_email,learner_name,module_id,module_name,module_description,criteria,credits,completed_at,valid_for',
  'ada@example.org,Ada,https://example.org/m/acls,ACLS,Cardiac life support,Passed,8,2025-02-28T09:30:00Z,P2Y',
  'bob@example.org,Bob,https://example.org/m/acls,ACLS,Cardiac life support,Passed,8,2025-02-28T09:30:00Z,P2Y',
].join('\n');

const FLAGS = ['--email', 'cy@example.org', '--module-id', 'https://example.org/m/bls', '--module-name', 'BLS', '--module-description', 'Basic life support', '--criteria', 'Passed', '--completed-at', '2025-02-28T09:30:00Z'];

describe('microcred issuer commands', () => {
  let dir: string;
  let data: string;
  let node: HardhatNode;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-cli-'));
    data = path.join(dir, 'data');
    node = await startHardhatNode();
  });
  afterAll(async () => {
    await node?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('token create prints the token once; list and revoke; bad scope is a usage error', () => {
    const created = microcred(['token', 'create', '--name', 'lms', '--scope', 'issue,status', '--json'], data);
    expect(created.code).toBe(0);
    expect(created.json.token).toMatch(/^mct_/);
    expect((fs.statSync(path.join(data, 'secret')).mode & 0o777).toString(8)).toBe('600');
    const human = microcred(['token', 'create', '--name', 'other'], data);
    expect(human.code).toBe(0);
    expect(human.stdout.trim()).toMatch(/^mct_[0-9a-f]{16}_/);
    const list = microcred(['token', 'list', '--json'], data);
    expect(list.json.tokens).toHaveLength(2);
    expect(list.stdout).not.toContain(created.json.token);
    expect(microcred(['token', 'revoke', created.json.id, '--json'], data).json.token.revokedAt).not.toBeNull();
    expect(microcred(['token', 'create', '--name', 'x', '--scope', 'root'], data).code).toBe(2);
    expect(microcred(['token', 'revoke', 'ffffffffffffffff'], data).code).toBe(2);
  });

  it('issue: one from flags, one from a record file, a CSV cohort to --out; bad input exits 2 or 1', async () => {
    const one = microcred(['issue', ...FLAGS, '--json'], data);
    expect(one.code).toBe(0);
    expect(one.json).toMatchObject({ ok: true, format: 'di' });
    const recordFile = path.join(dir, 'record.json');
    fs.writeFileSync(recordFile, JSON.stringify({ learner: { did: 'did:example:holder' }, module: { id: 'https://example.org/m/bls', name: 'BLS', description: 'd', criteria: 'c' }, completedAt: '2025-02-28T09:30:00Z' }));
    const fromFile = microcred(['issue', '--record', recordFile, '--format', 'jose'], data);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout.trim().split('.')).toHaveLength(3);

    const csvFile = path.join(dir, 'cohort.csv');
    fs.writeFileSync(csvFile, CSV);
    const out = path.join(dir, 'out');
    // Signed in two worker threads (MICROCRED_SIGNING_THREADS), as a cohort on a multi-core server would be.
    const cohort = microcred(['issue', '--csv', csvFile, '--out', out, '--json'], data, { MICROCRED_SIGNING_THREADS: '2' });
    expect(cohort.code, cohort.stderr).toBe(0);
    expect(cohort.json).toMatchObject({ ok: true, issued: 2, failed: 0 });
    const files = fs.readdirSync(out);
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(2);
    expect(files.some((f) => f.includes('.tmp'))).toBe(false);
    for (const file of files) {
      const credential = JSON.parse(fs.readFileSync(path.join(out, file), 'utf8'));
      // The subject here is the signature; the credential's status list entries are checked in tests/status (no list
      // server runs here), so the status step only confirms the two entries are present.
      const checkStatus = ({ credential: c }: { credential: { credentialStatus?: Array<{ type: string }> } }) =>
        Promise.resolve({ verified: c.credentialStatus?.length === 2 && c.credentialStatus.every((e) => e.type === 'BitstringStatusListEntry') });
      const verified = (await vc.verifyCredential({ credential, suite: new DataIntegrityProof({ cryptosuite }), documentLoader: defaultDocumentLoader(), checkStatus })) as { verified: boolean };
      expect(verified.verified).toBe(true);
    }

    fs.writeFileSync(csvFile, `${CSV}\ndan@example.org,Dan,https://example.org/m/acls,,Desc,Passed,8,2025-02-28T09:30:00Z,P2Y`);
    const partial = microcred(['issue', '--csv', csvFile], data);
    expect(partial.code).toBe(1);
    expect(partial.stdout).toContain('row 4: module_name');
    const atomic = microcred(['issue', '--csv', csvFile, '--atomic', '--json'], data);
    expect(atomic.code).toBe(1);
    // Every row is accounted for: the bad one, and the good ones not issued because the batch is atomic.
    expect(atomic.json).toMatchObject({ issued: 0, failed: 3 });
    expect(atomic.json.rows.map((r: { status: string }) => r.status)).toEqual(['not_issued', 'not_issued', 'invalid']);
    fs.writeFileSync(csvFile, 'name,colour\nx,y\n');
    expect(microcred(['issue', '--csv', csvFile], data).code).toBe(2);
    expect(microcred(['issue', '--email', 'x@example.org'], data).code).toBe(2);
  });

  it('revoke / suspend / reinstate record changes; an impossible transition exits 1', () => {
    const issued = microcred(['issue', ...FLAGS, '--json'], data).json;
    expect(microcred(['suspend', issued.id, '--reason-code', 'under_review', '--json'], data).json.statusChange).toMatchObject({ action: 'suspend', state: 'pending' });
    expect(microcred(['reinstate', issued.id.replace('urn:uuid:', ''), '--reason-code', 'resolved'], data).code).toBe(0);
    expect(microcred(['revoke', issued.id, '--reason-code', 'misconduct', '--reason', 'copied'], data).code).toBe(0);
    const again = microcred(['revoke', issued.id, '--reason-code', 'misconduct', '--json'], data);
    expect(again.code).toBe(1);
    expect(again.json.code).toBe('ERR_STATUS_TRANSITION');
    expect(microcred(['revoke', issued.id], data).code).toBe(2); // --reason-code missing
  });

  it('registry deploy / add-issuer / suspend / reinstate and anchor against a hardhat node', async () => {
    const deployed = microcred(['registry', 'deploy', '--rpc', node.url, '--json'], data);
    expect(deployed.code).toBe(0);
    const registry = deployed.json.address as string;
    expect(registry).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const anchorAccount = hardhatDevAccounts(2)[1]!.address;
    const chain = ['--rpc', node.url, '--registry', registry];
    const added = microcred(['registry', 'add-issuer', anchorAccount, '--did', 'did:example:issuer', '--name', 'Example', ...chain, '--json'], data);
    expect(added.code).toBe(0);
    expect(microcred(['registry', 'suspend-issuer', anchorAccount, ...chain, '--json'], data).json.active).toBe(false);
    expect(microcred(['issue', ...FLAGS], data).code).toBe(0);
    const refused = microcred(['anchor', ...chain, '--json'], data);
    expect(refused.code).toBe(1); // a suspended issuer cannot anchor
    expect(microcred(['registry', 'reinstate-issuer', anchorAccount, ...chain, '--json'], data).json.active).toBe(true);
    const anchored = microcred(['anchor', ...chain, '--json'], data);
    expect(anchored.code, anchored.stdout + anchored.stderr).toBe(0);
    expect(refused.json.batches.length, refused.stdout).toBeGreaterThan(0);
    expect(anchored.json.batches.length, anchored.stdout).toBeGreaterThan(0);
    expect(anchored.json.batches.every((b: { state: string }) => b.state === 'anchored')).toBe(true);
    const nothing = microcred(['anchor', ...chain], data);
    expect(nothing.code).toBe(0);

    // A reorganisation deeper than the outbox's re-check window: `anchor --reconcile` finds the lost root and anchors it again.
    expect(microcred(['issue', ...FLAGS], data).code).toBe(0);
    const beforeAnchor = await snapshot(node.url);
    const second = microcred(['anchor', ...chain, '--json'], data);
    const lostBatch = (second.json.batches as { id: number; root: string }[])[0]!;
    await revertTo(node.url, beforeAnchor);
    const reconciled = microcred(['anchor', '--reconcile', ...chain, '--json'], data);
    expect(reconciled.code, reconciled.stdout + reconciled.stderr).toBe(0);
    expect(reconciled.json.batches).toEqual(expect.arrayContaining([expect.objectContaining({ id: lostBatch.id, root: lostBatch.root, state: 'anchored' })]));
    expect(microcred(['registry', 'add-issuer', 'not-an-address', '--did', 'd', '--name', 'n', ...chain], data).code).toBe(2);
    // Thirteen commands in a row, each a process: a busy shared machine needs more than the default minute.
  }, 180_000);
});
