// `microcred registry add-issuer/add-operator/remove-operator/show-issuer` and `keys rotate --anchoring-key` as real
// processes against anvil: the operator lifecycle an issuer's admin runs, read back from the chain.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, hardhatDevAccounts, issuerIdOf } from '../../src/chain';
import { microcred, type CliResult } from '../helpers/cli';
import { ANVIL_CHAIN_ID, startAnvil, type AnvilNode } from '../helpers/anvil';

const accounts = hardhatDevAccounts(5);

describe('microcred registry operator commands and keys rotate --anchoring-key', () => {
  let node: AnvilNode;
  let dir: string;
  let data: string;
  let chain: string[];
  let reader: RegistryClient;
  const run = (args: string[]): Promise<CliResult> => microcred([...args, '--data', data], { timeoutMs: 120_000 });

  beforeAll(async () => {
    node = await startAnvil();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-operators-'));
    data = path.join(dir, 'data');
    const deployed = await run(['registry', 'deploy', '--rpc', node.url, '--json']);
    expect(deployed.code, deployed.stderr).toBe(0);
    chain = ['--rpc', node.url, '--registry', deployed.json.address as string];
    reader = await RegistryClient.connect({ address: deployed.json.address as string, rpcUrls: [node.url], chainId: ANVIL_CHAIN_ID });
  });

  afterAll(async () => {
    reader?.close();
    await node?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers an issuer by DID with an operator, adds and removes operators, and shows the issuer', async () => {
    const did = 'did:web:cli.example';
    const added = await run(['registry', 'add-issuer', did, '--name', 'CLI Academy', '--operator', accounts[1]!.address, ...chain, '--json']);
    expect(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.json).toMatchObject({ ok: true, issuerId: issuerIdOf(did), admin: accounts[0]!.address, operators: [accounts[1]!.address] });

    const plus = await run(['registry', 'add-operator', accounts[2]!.address, '--issuer', did, ...chain, '--json']);
    expect(plus.code, plus.stdout + plus.stderr).toBe(0);
    expect(plus.json.operators).toEqual([accounts[1]!.address, accounts[2]!.address]);
    expect((await reader.issuerOf(did))?.operators).toEqual([accounts[1]!.address, accounts[2]!.address]);

    // The issuer can be named by one of its operators, as v1 named issuers by address.
    const shown = await run(['registry', 'show-issuer', accounts[2]!.address, ...chain, '--json']);
    expect(shown.json).toMatchObject({ ok: true, issuerId: issuerIdOf(did), did, name: 'CLI Academy', active: true, operators: [accounts[1]!.address, accounts[2]!.address] });

    const minus = await run(['registry', 'remove-operator', accounts[2]!.address, '--issuer', issuerIdOf(did), ...chain, '--json']);
    expect(minus.code, minus.stdout + minus.stderr).toBe(0);
    expect(await reader.issuerOfOperator(accounts[2]!.address)).toBeNull();

    const human = await run(['registry', 'show-issuer', did, ...chain]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(issuerIdOf(did));
    expect(human.stdout).toContain(accounts[1]!.address);

    // The chain's refusals exit 1 with the code; a bad address is a usage error (exit 2).
    const again = await run(['registry', 'remove-operator', accounts[2]!.address, '--issuer', did, ...chain, '--json']);
    expect([again.code, again.json.code]).toEqual([1, 'ERR_NOT_OPERATOR_OF']);
    const unknown = await run(['registry', 'show-issuer', 'did:web:nobody.example', ...chain, '--json']);
    expect([unknown.code, unknown.json.code]).toEqual([1, 'ERR_UNKNOWN_ISSUER']);
    expect((await run(['registry', 'add-operator', 'not-an-address', '--issuer', did, ...chain])).code).toBe(2);
    // The v1 form (operator address first, --did) still registers, with that address as the first operator.
    const v1 = await run(['registry', 'add-issuer', accounts[3]!.address, '--did', 'did:web:v1.example', '--name', 'Old Form', ...chain, '--json']);
    expect(v1.code, v1.stdout + v1.stderr).toBe(0);
    expect(await reader.issuerOfOperator(accounts[3]!.address)).toBe(issuerIdOf('did:web:v1.example'));
  }, 300_000);

  it('keys rotate --anchoring-key adds the new key as operator and removes the configured one', async () => {
    const rotateData = path.join(dir, 'rotate');
    const init = await microcred(['init', '--data', rotateData, '--json']);
    expect(init.code, init.stdout + init.stderr).toBe(0);
    const keys = await microcred(['keys', 'list', '--data', rotateData, '--json']);
    const did = (keys.json.keys as { controller: string }[])[0]!.controller;
    // The development anchoring key is account #1; the test above made it an operator of another issuer: free it first.
    const oldOperator = hardhatDevAccounts(2)[1]!.address;
    const serving = await reader.issuerOfOperator(oldOperator);
    if (serving !== null) expect((await run(['registry', 'remove-operator', oldOperator, '--issuer', serving, ...chain])).code).toBe(0);
    expect((await microcred(['registry', 'add-issuer', did, '--name', 'Rotating', '--operator', oldOperator, ...chain, '--data', rotateData])).code).toBe(0);

    const newKey = path.join(dir, 'new-anchor.key');
    fs.writeFileSync(newKey, `${accounts[4]!.privateKey}\n`, { mode: 0o600 });
    const rotated = await microcred(['keys', 'rotate', '--anchoring-key', newKey, ...chain, '--data', rotateData, '--json']);
    expect(rotated.code, rotated.stdout + rotated.stderr).toBe(0);
    expect(rotated.json).toMatchObject({ ok: true, did, issuerId: issuerIdOf(did), added: accounts[4]!.address, removed: oldOperator });
    expect((await reader.issuerOf(did))?.operators).toEqual([accounts[4]!.address]);
    // Rotating to the same key is refused: exit 1 with the code, from the error catalog (a refusal, not a usage error).
    const same = await microcred(['keys', 'rotate', '--anchoring-key', newKey, '--old-operator', accounts[4]!.address, ...chain, '--data', rotateData, '--json']);
    expect([same.code, same.json.code]).toEqual([1, 'ERR_ROTATE_SAME_KEY']);
  }, 300_000);
});
