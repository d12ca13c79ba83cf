// Test helpers for talking to the registry contract with plain ethers: deploy, decode reverts and events.
import { ContractFactory, JsonRpcProvider, keccak256, toUtf8Bytes } from 'ethers';
import type { TransactionReceipt, TransactionResponse , Contract, Wallet} from 'ethers';
import { expect } from 'vitest';
import { loadRegistryArtifact } from '../../src/chain/artifact';
import { providerOptions } from '../../src/chain/provider';

/** The registry's interface, for decoding. */
export const registryIface = () => loadRegistryArtifact().iface;

/** A provider with the project's settings. */
export function testProvider(url: string, chainId: number): JsonRpcProvider {
  return new JsonRpcProvider(url, chainId, providerOptions(chainId, { pollingIntervalMs: 50 }));
}

/** Deploys a registry administered by `admin`'s wallet and returns it connected to that wallet. */
export async function deployWithEthers(admin: Wallet): Promise<Contract> {
  const artifact = loadRegistryArtifact();
  const factory = new ContractFactory(artifact.abi, artifact.bytecode, admin);
  const contract = await factory.deploy(admin.address);
  await contract.waitForDeployment();
  return contract as Contract;
}

/** Calls `method` on `contract` as its runner, waits for the receipt and returns it. */
export async function send(contract: Contract, method: string, ...args: unknown[]): Promise<TransactionReceipt> {
  const tx = (await contract.getFunction(method)(...args)) as TransactionResponse;
  const receipt = await tx.wait();
  if (!receipt) throw new Error('no receipt');
  return receipt;
}

/** Expects `promise` to revert with custom error `name` and exactly these arguments. */
export async function expectRevert(promise: Promise<unknown>, name: string, args: unknown[] = []): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a revert with ${name}`).toBeDefined();
  const data = findData(caught);
  expect(data, `no revert data in ${String(caught)}`).toBeTypeOf('string');
  const parsed = registryIface().parseError(data!);
  expect(parsed?.name).toBe(name);
  expect(normalise([...parsed!.args])).toEqual(normalise(args));
}

function findData(error: unknown): string | undefined {
  let current = error as { data?: unknown; info?: { error?: unknown }; error?: unknown } | undefined;
  for (let i = 0; i < 5 && current; i++) {
    if (typeof current.data === 'string' && current.data.startsWith('0x')) return current.data;
    current = (current.info?.error ?? current.error) as typeof current;
  }
  return undefined;
}

function normalise(values: unknown[]): unknown[] {
  return values.map((v) => (typeof v === 'string' ? v.toLowerCase() : typeof v === 'number' ? BigInt(v) : v));
}

/** The decoded events of `name` in `receipt`, as plain argument arrays. */
export function eventsOf(receipt: TransactionReceipt, name: string): unknown[][] {
  const iface = registryIface();
  return receipt.logs
    .map((log) => iface.parseLog(log))
    .filter((parsed) => parsed?.name === name)
    .map((parsed) => [...parsed!.args] as unknown[]);
}

/** Expects exactly one `name` event in `receipt` with these arguments (addresses and hex compared case-insensitively). */
export function expectEvent(receipt: TransactionReceipt, name: string, args: unknown[]): void {
  const found = eventsOf(receipt, name);
  expect(found).toHaveLength(1);
  expect(normalise(found[0]!)).toEqual(normalise(args));
}

/** A deterministic bytes32 from a label. */
export const b32 = (label: string): string => keccak256(toUtf8Bytes(label));
