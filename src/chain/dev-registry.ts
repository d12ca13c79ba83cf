// Sets up the registry on an empty development chain: deploy from account #0, accredit, register the local issuer.
import { Wallet } from 'ethers';
import { MicrocredError } from '../errors';
import { deployRegistry } from './deploy';
import type { DevChain } from './devchain';
import { makeRpcProvider } from './provider';
import { RegistryClient } from './registry-client';

/** The roles the development accounts play: #0 deploys and accredits, #1 anchors for the local issuer. */
export const DEV_ACCREDITOR_ACCOUNT = 0;
/** Index of the development account that anchors for the local issuer. */
export const DEV_ISSUER_ACCOUNT = 1;

/** The registry on a development chain, ready for the local issuer. */
export interface DevRegistry {
  readonly address: string;
  readonly accreditor: string;
  readonly issuerAccount: string;
  /** Private key of the issuer's anchoring account (a public, well-known development key). */
  readonly issuerPrivateKey: string;
}

/**
 * Deploys the registry on a fresh development chain and registers the local issuer. The first contract that
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
      await admin.registerIssuer(issuerAccount.address, issuer.did, issuer.name);
    } finally {
      admin.close();
    }
    return { address, accreditor: accreditor.address, issuerAccount: issuerAccount.address, issuerPrivateKey: issuerAccount.privateKey };
  } finally {
    provider.destroy();
  }
}
