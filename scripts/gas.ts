// Measures the gas of every registry operation on the in-process chain and writes the table into docs/contract.md.
import fs from 'node:fs';
import path from 'node:path';
import { ContractFactory, JsonRpcProvider, Wallet, keccak256, toUtf8Bytes } from 'ethers';
import { RegistryClient, loadRegistryArtifact, providerOptions, startDevChain } from '../src/chain';
import { buildTree } from '../src/anchoring';

const DOC = path.resolve(__dirname, '..', 'docs', 'contract.md');
const START = '<!-- gas:start -->';
const END = '<!-- gas:end -->';

const leaves = (label: string, n: number): string[] => Array.from({ length: n }, (_, i) => keccak256(toUtf8Bytes(`${label}-${i}`)));

async function main(): Promise<void> {
  const chain = await startDevChain();
  const provider = new JsonRpcProvider(chain.url, chain.chainId, providerOptions(chain.chainId));
  const rows: [string, string, bigint][] = [];
  try {
    const [adminKey, issuerKey, otherKey] = chain.accounts.map((a) => a.privateKey) as [string, string, string];
    const adminWallet = new Wallet(adminKey, provider);
    const artifact = loadRegistryArtifact();
    const deployed = await new ContractFactory(artifact.abi, artifact.bytecode, adminWallet).deploy(adminWallet.address);
    const deployReceipt = await deployed.deploymentTransaction()!.wait();
    rows.push(['deploy', 'constructor(admin)', deployReceipt!.gasUsed]);
    const address = await deployed.getAddress();
    const connect = (privateKey: string) => RegistryClient.connect({ address, rpcUrls: [chain.url], chainId: chain.chainId, privateKey, pollingIntervalMs: 20 });
    const admin = await connect(adminKey);
    const issuer = await connect(issuerKey);
    const issuerAddress = new Wallet(issuerKey).address;
    const otherAddress = new Wallet(otherKey).address;

    const did = 'did:web:cpd.hospital.example.org';
    const name = 'Example CPD Academy';
    rows.push(['registerIssuer', `DID of ${did.length} characters, name of ${name.length}`, (await admin.registerIssuer(issuerAddress, did, name)).gasUsed]);
    rows.push(['suspendIssuer', '', (await admin.suspendIssuer(issuerAddress, 1)).gasUsed]);
    rows.push(['reinstateIssuer', '', (await admin.reinstateIssuer(issuerAddress)).gasUsed]);
    rows.push(['grantRole', 'ACCREDITOR_ROLE to a new account', (await admin.grantAccreditor(otherAddress)).gasUsed]);

    for (const size of [1, 2, 1000]) {
      const tree = buildTree(leaves(`gas-${size}`, size));
      const depth = tree.proof(0).length;
      const batch = `batch of ${size}, path of ${depth}`;
      rows.push(['anchor', `batch of ${size}`, (await issuer.anchor(tree.root)).gasUsed]);
      const [first, second] = [0, Math.min(1, size - 1)];
      if (size > 1) {
        rows.push(['suspend', batch, (await issuer.suspend(tree.leaves[first]!, tree.root, tree.proof(first), 1)).gasUsed]);
        rows.push(['reinstate', batch, (await issuer.reinstate(tree.leaves[first]!, tree.root, tree.proof(first), 0)).gasUsed]);
      }
      rows.push(['revoke', batch, (await issuer.revoke(tree.leaves[second]!, tree.root, tree.proof(second), 2)).gasUsed]);
    }
    admin.close();
    issuer.close();
  } finally {
    provider.destroy();
    await chain.close();
  }

  const table = [
    START,
    '',
    `Measured by \`npm run gas\` (scripts/gas.ts) on the in-process Hardhat network (cancun, solc ${readSolcVersion()}, optimizer 10,000 runs).`,
    'Do not edit by hand.',
    '',
    '| operation | case | gas used |',
    '| --- | --- | ---: |',
    ...rows.map(([op, what, gas]) => `| \`${op}\` | ${what} | ${gas.toLocaleString('en-US')} |`),
    '',
    END,
  ].join('\n');
  const doc = fs.readFileSync(DOC, 'utf8');
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${DOC} lacks the ${START} … ${END} markers; put them where the table belongs`);
  fs.writeFileSync(DOC, doc.slice(0, from) + table + doc.slice(to + END.length));
  console.log(table);
}

function readSolcVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('solc/package.json') as { version: string }).version;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
