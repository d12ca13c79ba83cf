// Loads the compiled CredentialRegistry (ABI + bytecode) from Hardhat's artifacts folder at run time.
import fs from 'node:fs';
import path from 'node:path';
import { Interface } from 'ethers';
import type { InterfaceAbi } from 'ethers';
import { MicrocredError } from '../errors';
import { projectRoot } from '../project-root';

/** The ABI and creation bytecode of the registry contract. */
export interface RegistryArtifact {
  /** Contract ABI as compiled. */
  readonly abi: InterfaceAbi;
  /** Creation bytecode (0x-prefixed hex). */
  readonly bytecode: string;
  /** The ABI parsed into an ethers Interface, for encoding calls and decoding errors and events. */
  readonly iface: Interface;
}

/** Where `npx hardhat compile` writes the registry artifact, relative to the project root. */
export const REGISTRY_ARTIFACT_PATH = path.join('artifacts', 'contracts', 'CredentialRegistry.sol', 'CredentialRegistry.json');

// Found by its package.json: src/chain/ from source and in tests, dist/src/chain/ when built.
const root = projectRoot(__dirname);

const cache = new Map<string, RegistryArtifact>();

/**
 * Reads the registry artifact; throws ERR_ARTIFACT_MISSING when the contracts were not compiled.
 * @param file Artifact path; defaults to the project's `artifacts/` folder.
 */
export function loadRegistryArtifact(file: string = path.join(root, REGISTRY_ARTIFACT_PATH)): RegistryArtifact {
  const cached = cache.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new MicrocredError('ERR_ARTIFACT_MISSING', `The registry contract is not compiled (${file} is missing): run npm run compile`, {
      cause,
      details: { file },
    });
  }
  const parsed = JSON.parse(text) as { abi?: InterfaceAbi; bytecode?: string };
  if (!Array.isArray(parsed.abi) || typeof parsed.bytecode !== 'string' || parsed.bytecode.length <= 2) {
    throw new MicrocredError('ERR_ARTIFACT_MISSING', `The registry artifact ${file} has no ABI or bytecode: run npm run compile`, {
      details: { file },
    });
  }
  const artifact: RegistryArtifact = { abi: parsed.abi, bytecode: parsed.bytecode, iface: new Interface(parsed.abi) };
  cache.set(file, artifact);
  return artifact;
}
