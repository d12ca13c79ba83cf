// Deploys a fresh CredentialRegistry from the compiled artifact.
import { ContractFactory } from 'ethers';
import type { Signer } from 'ethers';
import { loadRegistryArtifact } from './artifact';
import { toChainError } from './errors';

/**
 * Deploys the registry from `signer`, making `admin` its admin and first accreditor; resolves to its address
 * once the deployment is mined.
 */
export async function deployRegistry(signer: Signer, admin: string): Promise<string> {
  const artifact = loadRegistryArtifact();
  try {
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, signer);
    const contract = await factory.deploy(admin);
    await contract.waitForDeployment();
    return await contract.getAddress();
  } catch (error) {
    throw toChainError(error, artifact.iface, 'Deploying the registry');
  }
}
