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
  const reads: [string, string, bigint][] = [];
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
    const registered = await admin.registerIssuer(did, name, adminWallet.address);
    rows.push(['registerIssuer', `DID of ${did.length} characters, name of ${name.length}`, registered.gasUsed]);
    rows.push(['addOperator', 'first operator', (await admin.addOperator(did, issuerAddress)).gasUsed]);
    rows.push(['addOperator', 'second operator', (await admin.addOperator(did, otherAddress)).gasUsed]);
    rows.push(['removeOperator', 'one of two', (await admin.removeOperator(did, otherAddress)).gasUsed]);
    rows.push(['setIssuerAdmin', '', (await admin.setIssuerAdmin(did, adminWallet.address)).gasUsed]);
    rows.push(['suspendIssuer', 'one operator', (await admin.suspendIssuer(did, 1)).gasUsed]);
    rows.push(['reinstateIssuer', 'one operator', (await admin.reinstateIssuer(did)).gasUsed]);
    rows.push(['grantRole', 'ACCREDITOR_ROLE to a new account', (await admin.grantAccreditor(otherAddress)).gasUsed]);

    let sample: { root: string; leaf: string; path: string[] } | undefined;
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
      if (size === 1000) sample = { root: tree.root, leaf: tree.leaves[3]!, path: tree.proof(3) };
    }

    // Reads cost no fee, but a node caps the gas of one eth_call (geth's default RPC gas cap is 50,000,000).
    const iface = artifact.iface;
    const issuerId = admin.issuerIdOf(did);
    const estimate = (data: string): Promise<bigint> => provider.estimateGas({ to: address, data });
    const lookupCall = iface.encodeFunctionData('lookup', [issuerId, sample!.root, sample!.leaf, sample!.path]);
    reads.push(['lookup', `batch of 1000, path of ${sample!.path.length}`, await estimate(lookupCall)]);
    for (const count of [1, 250]) {
      const queries = Array.from({ length: count }, () => ({ issuerId, root: sample!.root, leaf: sample!.leaf, path: sample!.path }));
      reads.push(['lookupMany', `${count} queries, paths of ${sample!.path.length}`, await estimate(iface.encodeFunctionData('lookupMany', [queries]))]);
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
    'Views cost no fee; their gas (by `eth_estimateGas`, including the 21,000 base) matters only against a node\'s cap on one `eth_call`',
    "(geth's default RPC gas cap is 50,000,000):",
    '',
    '| view | case | gas of the call |',
    '| --- | --- | ---: |',
    ...reads.map(([op, what, gas]) => `| \`${op}\` | ${what} | ${gas.toLocaleString('en-US')} |`),
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
