// Every policy × check state through the real verifier and a scripted registry: no check is skipped into a pass.
import { beforeAll, describe, expect, it } from 'vitest';
import { RpcUnavailableError } from '../../src/chain/errors';
import { DEFAULT_POLICY, FLAG_WORDS, POLICY_PRESETS, createVerifier, type Flag, type Verdict, type VerificationPolicy } from '../../src/verify';
import { NOW, anchorBatch, fakeAnchor, fakeReader, goodLookup, lookupOf, makeIssuer, signedDi, type FakeReaderOptions, type ScriptedLookup } from './fixtures';

const issuer = makeIssuer('St Example Hospital (registered)');
// Signed by a random key of its own, naming the real institution: the attack of issue 14.
const impostor = makeIssuer('St Example Hospital (registered)');

const POLICIES = {
  default: POLICY_PRESETS.default!,
  strict: POLICY_PRESETS.strict!,
  lenient: POLICY_PRESETS.lenient!,
  // Every registry check may fail to run: the riskiest explicit choice.
  'registry-gaps-allowed': { ...DEFAULT_POLICY, allowUnchecked: ['anchor', 'accredited-issuer', 'revocation'] },
} satisfies Record<string, VerificationPolicy>;
type PolicyName = keyof typeof POLICIES;

const down: ScriptedLookup = () => Promise.reject(new RpcUnavailableError('ERR_RPC_UNAVAILABLE', 'the node is down'));
const unknownIssuer: ScriptedLookup = () =>
  Promise.resolve(goodLookup('', { anchoredAt: 0, anchoredBlock: 0, leafInRoot: false, issuerRegistered: false, issuerActive: false, issuerName: '' }));
const REVOKED = { status: 'revoked', statusReason: 1, statusSince: Math.floor(Date.parse('2025-05-01T00:00:00Z') / 1000) } as const;

type Expect = readonly [Verdict, readonly Flag[]];
interface Row {
  readonly name: string;
  /** Which credential: anchored, bare (no anchor proof), impostor (self-signed, no proof), tampered (changed after anchoring). */
  readonly input: 'anchored' | 'bare' | 'impostor' | 'tampered';
  readonly lookup?: ScriptedLookup;
  readonly reader?: FakeReaderOptions;
  readonly noReader?: boolean;
  readonly expect: Readonly<Record<PolicyName, Expect>>;
}

const all = (e: Expect): Record<PolicyName, Expect> => ({ default: e, strict: e, lenient: e, 'registry-gaps-allowed': e });

const ROWS: readonly Row[] = [
  { name: 'anchored, issuer active, leaf active', input: 'anchored', expect: all(['valid', []]) },
  { name: 'anchored, revoked', input: 'anchored', lookup: lookupOf(issuer.did, REVOKED), expect: all(['invalid', ['revoked']]) },
  { name: 'anchored, suspended leaf', input: 'anchored', lookup: lookupOf(issuer.did, { status: 'suspended' }), expect: all(['invalid', ['suspended']]) },
  { name: 'revoked, anchor proof removed', input: 'bare', lookup: lookupOf(issuer.did, REVOKED), expect: all(['invalid', ['revoked']]) },
  {
    name: 'no anchor proof yet, registered active issuer',
    input: 'bare',
    expect: { default: ['indeterminate', ['pending-anchor']], strict: ['indeterminate', ['pending-anchor']], lenient: ['valid', ['pending-anchor']], 'registry-gaps-allowed': ['indeterminate', ['pending-anchor']] },
  },
  {
    name: 'self-signed, naming a real institution (issuer not in the registry)',
    input: 'impostor',
    lookup: unknownIssuer,
    expect: {
      default: ['invalid', ['issuer-not-in-registry']],
      strict: ['invalid', ['issuer-not-in-registry']],
      lenient: ['indeterminate', ['issuer-not-in-registry']],
      'registry-gaps-allowed': ['invalid', ['issuer-not-in-registry']],
    },
  },
  {
    name: 'no anchor proof, issuer suspended',
    input: 'bare',
    lookup: lookupOf(issuer.did, { issuerActive: false }),
    expect: { default: ['invalid', ['issuer-not-accredited']], strict: ['invalid', ['issuer-not-accredited']], lenient: ['indeterminate', ['issuer-not-accredited']], 'registry-gaps-allowed': ['invalid', ['issuer-not-accredited']] },
  },
  {
    name: 'anchored, issuer suspended since',
    input: 'anchored',
    lookup: lookupOf(issuer.did, { issuerActive: false }),
    expect: { default: ['invalid', ['issuer-not-accredited']], strict: ['invalid', ['issuer-not-accredited']], lenient: ['valid', ['issuer-not-accredited']], 'registry-gaps-allowed': ['invalid', ['issuer-not-accredited']] },
  },
  {
    name: 'anchored, registry unreachable',
    input: 'anchored',
    lookup: down,
    expect: { ...all(['indeterminate', []]), 'registry-gaps-allowed': ['valid', ['not-checked']] },
  },
  // Allowing the registry gaps never lets a credential without an anchor through: its anchor is absent, not unchecked.
  { name: 'no anchor proof, registry unreachable', input: 'bare', lookup: down, expect: { ...all(['indeterminate', []]), 'registry-gaps-allowed': ['indeterminate', ['not-checked']] } },
  { name: 'anchored, no registry configured', input: 'anchored', noReader: true, expect: { ...all(['indeterminate', []]), 'registry-gaps-allowed': ['valid', ['not-checked']] } },
  {
    name: 'anchored, root not found, node behind the proof’s block',
    input: 'anchored',
    lookup: lookupOf(issuer.did, { anchoredAt: 0, anchoredBlock: 0 }),
    reader: { latestBlock: () => Promise.resolve(5) },
    expect: { ...all(['indeterminate', ['registry-node-behind']]), 'registry-gaps-allowed': ['valid', ['registry-node-behind', 'not-checked']] },
  },
  { name: 'anchored, root not found, node past the proof’s block', input: 'anchored', lookup: lookupOf(issuer.did, { anchoredAt: 0, anchoredBlock: 0 }), expect: all(['invalid', []]) },
  { name: 'changed after anchoring', input: 'tampered', expect: all(['invalid', []]) },
];

const inputs: Record<Row['input'], unknown> = { anchored: undefined, bare: undefined, impostor: undefined, tampered: undefined };

beforeAll(async () => {
  const bare = await signedDi(issuer);
  const anchored = (await anchorBatch([bare], { chainId: 31337, registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', anchorRoot: fakeAnchor })).anchored[0]!;
  inputs.bare = bare;
  inputs.anchored = anchored;
  inputs.impostor = await signedDi(impostor);
  inputs.tampered = { ...anchored, name: 'Brain Surgery' };
});

describe('policy × check state', () => {
  const cases = ROWS.flatMap((row) => (Object.keys(POLICIES) as PolicyName[]).map((policy) => [`${row.name} / ${policy}`, row, policy] as const));
  it.each(cases)('%s', async (_name, row, policyName) => {
    const policy = POLICIES[policyName];
    const verifier = createVerifier({
      now: () => NOW,
      policy: row.noReader ? { ...policy, trustedRegistries: [{ chainId: 31337, address: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }] } : policy,
      ...(row.noReader ? {} : { chain: { reader: fakeReader(row.lookup ?? lookupOf(issuer.did), row.reader ?? {}) } }),
    });
    const outcome = await verifier.verify(inputs[row.input]);
    const [verdict, flags] = row.expect[policyName];
    expect({ verdict: outcome.verdict, flags: [...outcome.flags].sort() }).toEqual({ verdict, flags: [...flags].sort() });
    // Reasons are never empty when the verdict is not valid or something is flagged, and each says something.
    if (outcome.verdict !== 'valid' || outcome.flags.length > 0) expect(outcome.reasons.length).toBeGreaterThan(0);
    for (const reason of outcome.reasons) expect(reason.message.length).toBeGreaterThan(10);
    // "Pending" only ever for the registered issuer's genuine, unrevoked credential that is not invalid.
    if (outcome.flags.includes('pending-anchor')) expect([row.input, outcome.verdict === 'invalid']).toEqual(['bare', false]);
  });

  it('every flag has its words, and the unknown issuer’s are the ones people read', () => {
    expect(FLAG_WORDS['issuer-not-in-registry']).toBe('The signature is genuine, but this registry does not know who issued it.');
    expect(FLAG_WORDS['registry-node-behind']).toContain('This registry node is behind');
  });
});
