// Sets up the registry on an empty development chain: deploy from account #0, register the local issuer, add its operator.
import { Wallet, getCreateAddress } from 'ethers';
import { MicrocredError } from '../errors';
import { hardhatDevAccounts } from './dev-accounts';
import { deployRegistry } from './deploy';
import type { DevChain } from './devchain';
import { makeRpcProvider } from './provider';
import { RegistryClient } from './registry-client';

/** The roles the development accounts play: #0 deploys, accredits and administers the local issuer; #1 operates for it. */
export const DEV_ACCREDITOR_ACCOUNT = 0;
/** Index of the development account that anchors for the local issuer (its operator). */
export const DEV_ISSUER_ACCOUNT = 1;

/**
 * Where the embedded development chain's registry always lands: the first contract account #0 deploys (nonce 0), so
 * commands in the development setup need no --registry.
 */
export function devRegistryAddress(): string {
  const deployer = hardhatDevAccounts(DEV_ACCREDITOR_ACCOUNT + 1)[DEV_ACCREDITOR_ACCOUNT]!;
  return getCreateAddress({ from: deployer.address, nonce: 0 });
}

/** The registry on a development chain, ready for the local issuer. */
export interface DevRegistry {
  readonly address: string;
  readonly accreditor: string;
  readonly issuerAccount: string;
  /** The local issuer's id in the registry, `keccak256(bytes(did))`. */
  readonly issuerId: string;
  /** Private key of the issuer's anchoring account (a public, well-known development key). */
  readonly issuerPrivateKey: string;
}

/**
 * Deploys the registry (v2) on a fresh development chain, registers the local issuer's DID with account #0 as its
 * admin, and adds account #1 as its operator. The first contract that
 * account #0 deploys always lands at the same address, so anchor proofs made before a restart stay pointed at it;
 * `expectedAddress` turns a surprise into a clear error instead of silently unverifiable credentials.
 */
export async function setUpDevRegistry(
  chain: DevChain,
  issuer: { did: string; name: string },
  expectedAddress?: string,
): Promise<DevRegistry> {
  const accreditor = chain.accounts[DEV_ACCREDITOR_ACCOUNT];
  const issuerAccount = chain.accounts[DEV_ISSUER_ACCOUNT];
  if (accreditor === undefined || issuerAccount === undefined) {
    throw new MicrocredError('ERR_DEVCHAIN_ACCOUNTS', 'The development chain has too few accounts.');
  }
  const provider = makeRpcProvider(chain.url, chain.chainId);
  try {
    const deployer = new Wallet(accreditor.privateKey, provider);
    const address = await deployRegistry(deployer, accreditor.address);
    if (expectedAddress !== undefined && address.toLowerCase() !== expectedAddress.toLowerCase()) {
      throw new MicrocredError(
        'ERR_DEVCHAIN_REGISTRY_MOVED',
        `The development registry was deployed at ${address}, not at ${expectedAddress} where earlier credentials point. ` +
          'Start with a fresh data folder, or use an external chain.',
        { details: { address, expectedAddress } },
      );
    }
    const admin = await RegistryClient.connect({ address, rpcUrls: [chain.url], chainId: chain.chainId, privateKey: accreditor.privateKey });
    try {
      const registered = await admin.registerIssuer(issuer.did, issuer.name, accreditor.address, [issuerAccount.address]);
      return { address, accreditor: accreditor.address, issuerAccount: issuerAccount.address, issuerId: registered.issuerId, issuerPrivateKey: issuerAccount.privateKey };
    } finally {
      admin.close();
    }
  } finally {
    provider.destroy();
  }
}
