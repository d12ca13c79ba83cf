// The verifier: parses the input, runs every check, lets the policy decide, and builds the badge summary.
import { defaultDocumentLoader, type DocumentLoader } from '../contexts';
import type { DidResolver } from '../did';
import { didFanOutBudget } from './did-fan-out';
import { isMicrocredError } from '../errors';
import { bindToHolder } from './bind-holder';
import { createChainReader, type ChainReader } from './chain-reader';
import {
  accreditedIssuerCheck,
  anchorCheck,
  endorsementCheck,
  guarded,
  issuerKeyCheck,
  josePresentationCheck,
  parseCheck,
  presentationCheck,
  presentationSchemaCheck,
  presenterOf,
  revocationCheck,
  schemaCheck,
  signatureCheck,
  statusListCheck,
  validityPeriodCheck,
  type StatusListFetcher,
} from './checks';
import { createCredentialContext, type CheckDeps } from './context';
import { parseInput, type ParsedCredential, type ParsedInput } from './input';
import { DEFAULT_POLICY, decide, type VerificationPolicy } from './policy';
import { createRegistryClientSource } from './registry-client-source';
import { REGISTRY_CONFIG_CODES, type RegistryQuery } from './registry-source';
import { registryQueryOf } from './anchor-state';
import { CHECK_NAMES, checkResult, type CheckResult, type CredentialVerifier, type Flag, type Verdict, type VerificationOutcome, type VerifyOptions } from './result';
import { badgeSummary } from './summary';
import { verifyEndorsements, type EndorsementReport } from './endorsements';

/** Where the registry is, as plain data: RPC URLs (with failover), chain id and address. */
export interface ChainSpec {
  readonly rpcUrls: readonly string[];
  readonly chainId: number;
  readonly registryAddress: string;
  /** Reuse of status answers (default 5 s; 0 = always fresh). */
  readonly statusTtlMs?: number;
  readonly timeoutMs?: number;
  /** Questions per lookupMany call (default 250). */
  readonly batchSize?: number;
}

/** Where the registry is: a {@link ChainSpec}, or a ready reader. */
export type ChainOption = ChainSpec | { readonly reader: ChainReader };

/** Options of {@link createVerifier}. Everything is injected; defaults are offline and safe. */
export interface VerifierOptions {
  /** Offline JSON-LD loader (default: the process-wide bundled one, did:key only). */
  readonly loader?: DocumentLoader;
  /** Resolves did:web (and other) DIDs for VC-JOSE keys; for Data Integrity give the loader a resolver instead. */
  readonly didResolver?: DidResolver;
  /** The registry; without it anchors cannot be checked (ANCHOR_NO_READER or ANCHOR_UNTRUSTED_REGISTRY). */
  readonly chain?: ChainOption;
  /** Policy; when `trustedRegistries` is empty, the configured chain's registry is the one trusted. */
  readonly policy?: Partial<VerificationPolicy>;
  readonly now?: () => Date;
  /** Gives status list credentials without fetching arbitrary URLs (default: none, so status lists are unavailable). */
  readonly statusListFetcher?: StatusListFetcher;
  /** Distinct did:web DIDs one verify() call may resolve (default 8; see docs/security.md). */
  readonly maxDidWebPerVerification?: number;
}

/** The real verifier. */
export interface Verifier extends CredentialVerifier {
  /** The effective policy (with the trusted registry filled in). */
  readonly policy: VerificationPolicy;
  /** The chain reader, for its read counters. */
  readonly reader: ChainReader | undefined;
  /**
   * Checks that the configured registry is a registry on the configured chain. Throws ERR_REGISTRY_CHAIN_MISMATCH,
   * ERR_REGISTRY_NO_CODE or ERR_REGISTRY_NOT_A_REGISTRY (naming address and chain), or the read error when the node
   * cannot be reached. Resolves at once without a registry.
   */
  checkRegistry(): Promise<void>;
  /**
   * Reads the registry for many inputs at once (lookupMany calls of the reader's batch size), so verifying them next
   * costs no further read. Inputs that are not credentials are ignored. Never throws.
   */
  prefetch(inputs: readonly unknown[]): Promise<void>;
  /** Releases the RPC connections. */
  close(): void;
}

const RANK: Record<Verdict, number> = { valid: 0, indeterminate: 1, invalid: 2 };

/** The worse of two verdicts: invalid over indeterminate over valid. */
function worstVerdict(a: Verdict, b: Verdict): Verdict {
  return RANK[a] >= RANK[b] ? a : b;
}

function notChecked(): CheckResult[] {
  return CHECK_NAMES.filter((name) => name !== 'parse' && name !== 'presentation' && name !== 'holder-binding').map((name) =>
    checkResult(name, 'skipped', 'NOT_CHECKED', 'Not checked, because the input could not be read as a credential.'),
  );
}

/** The endorsements of a credential, each verified as a credential (never their own endorsements: one level only). */
async function endorsementReports(parsed: ParsedCredential, deps: CheckDeps): Promise<EndorsementReport[]> {
  return verifyEndorsements(parsed.credential, async (endorsement) => {
    const inner = parseInput(endorsement);
    if (inner.kind !== 'credential') return unknownOutcome(parseCheck(inner), deps.policy);
    // An endorsement is judged as a credential of its own: the requirement to be endorsed is not its own.
    return verifyCredential(inner, { ...deps, policy: { ...deps.policy, requireEndorsementBy: [] } }, false);
  });
}

async function verifyCredential(parsed: ParsedCredential, deps: CheckDeps, withEndorsements = true): Promise<VerificationOutcome> {
  const ctx = createCredentialContext(parsed, deps);
  const endorsements = withEndorsements ? await endorsementReports(parsed, deps).catch((): EndorsementReport[] | null => null) : [];
  const checks = await Promise.all([
    guarded('parse', () => parseCheck(parsed)),
    guarded('schema', () => schemaCheck(ctx)),
    guarded('signature', () => signatureCheck(ctx)),
    guarded('issuer-key', () => issuerKeyCheck(ctx)),
    guarded('validity-period', () => validityPeriodCheck(ctx)),
    guarded('anchor', () => anchorCheck(ctx)),
    guarded('accredited-issuer', () => accreditedIssuerCheck(ctx)),
    guarded('revocation', () => revocationCheck(ctx)),
    guarded('status-list', () => statusListCheck(ctx)),
    guarded('endorsement', () => {
      if (endorsements === null) throw new Error('the endorsements could not be verified');
      return endorsementCheck(endorsements, deps.policy);
    }),
  ]);
  let summary;
  try {
    summary = badgeSummary(parsed, await ctx.registry());
  } catch {
    summary = undefined;
  }
  const accreditedBy = (endorsements ?? []).filter((e) => e.verified).map((e) => e.endorserName ?? e.endorser ?? 'an accrediting body');
  if (summary !== undefined && accreditedBy.length > 0) summary = { ...summary, accreditedBy };
  return {
    ...decide(checks, deps.policy),
    kind: 'credential',
    ...(summary ? { summary } : {}),
    ...(endorsements !== null && endorsements.length > 0 ? { endorsements } : {}),
  };
}

function unknownOutcome(parse: CheckResult, policy: VerificationPolicy): VerificationOutcome {
  return { ...decide([parse, ...notChecked()], policy), kind: 'unknown' };
}

async function verifyAny(input: unknown, options: VerifyOptions, deps: CheckDeps, nested: boolean, prepared?: ParsedInput): Promise<VerificationOutcome> {
  const parsed = prepared ?? parseInput(input);
  if (parsed.kind === 'unknown') return unknownOutcome(parseCheck(parsed), deps.policy);
  if (parsed.kind === 'credential') return verifyCredential(parsed, deps);
  if (nested) {
    return unknownOutcome(checkResult('parse', 'failed', 'PARSE_NESTED_PRESENTATION', 'A presentation inside a presentation is not accepted.'), deps.policy);
  }
  const [parseResult, schemaResult, holderProof] = await Promise.all([
    guarded('parse', () => parseCheck(parsed)),
    guarded('schema', () => presentationSchemaCheck(parsed.presentation)),
    guarded('presentation', () =>
      parsed.jws === undefined ? presentationCheck(parsed.presentation, options, deps.loader) : josePresentationCheck(parsed.jws, parsed.presentation, options, deps.didResolver),
    ),
  ]);
  const own = [parseResult, schemaResult, holderProof];
  const credentials: VerificationOutcome[] = [];
  // Their registry questions go in one lookupMany call; then one at a time, answered from the cache.
  await prefetchInputs(parsed.entries, deps);
  const binding = { presenter: presenterOf(holderProof), challenged: options.challenge !== undefined || options.domain !== undefined };
  for (const entry of parsed.entries) credentials.push(bindToHolder(await verifyAny(entry, {}, deps, true), entry, binding, deps.policy));
  const report = decide(own, deps.policy);
  const flags = new Set<Flag>(report.flags);
  let verdict = report.verdict;
  for (const inner of credentials) {
    verdict = worstVerdict(verdict, inner.verdict);
    for (const flag of inner.flags) flags.add(flag);
  }
  const reasons = [...report.reasons, ...credentials.flatMap((inner) => (inner.verdict === verdict || inner.flags.length > 0 ? inner.reasons : []))];
  return { verdict, flags: [...flags], checks: report.checks, reasons, kind: 'presentation', credentials };
}

/**
 * Texts prefetched and not yet verified, with their parse: verify() of the same text takes it instead of parsing again
 * (and with it the leaf and anchor proof worked out for the prefetch). Parsing is pure, and each parse serves one
 * verify() only, so no two verifications share an object. Bounded in count and characters; past either, it starts over.
 */
class PreparedInputs {
  static readonly MAX_ENTRIES = 10_000;
  static readonly MAX_CHARS = 64 * 1024 * 1024;
  private readonly parses = new Map<string, ParsedInput>();
  private chars = 0;

  keep(text: string, parsed: ParsedInput): void {
    if (this.parses.size >= PreparedInputs.MAX_ENTRIES || this.chars + text.length > PreparedInputs.MAX_CHARS) {
      this.parses.clear();
      this.chars = 0;
    }
    if (text.length > PreparedInputs.MAX_CHARS || this.parses.has(text)) return;
    this.parses.set(text, parsed);
    this.chars += text.length;
  }

  take(input: unknown): ParsedInput | undefined {
    if (typeof input !== 'string') return undefined;
    const parsed = this.parses.get(input);
    if (parsed !== undefined) {
      this.parses.delete(input);
      this.chars -= input.length;
    }
    return parsed;
  }
}

/** Asks the registry questions of many inputs at once, so verifying them next is answered from the cache. Never throws. */
async function prefetchInputs(inputs: readonly unknown[], deps: CheckDeps, prepared?: PreparedInputs): Promise<void> {
  if (!deps.reader) return;
  const queries: RegistryQuery[] = [];
  for (const input of inputs) {
    try {
      const parsed = parseInput(input);
      if (prepared && typeof input === 'string') prepared.keep(input, parsed);
      const query = parsed.kind === 'credential' ? registryQueryOf(parsed, deps) : undefined;
      if (query) queries.push(query);
    } catch {
      // Verification will report it; prefetching is only an optimisation.
    }
  }
  await deps.reader.prefetch(queries);
}

/** Throws when the registry is misconfigured (never a verdict); an unreachable node is left to the checks to report. */
async function assertRegistry(reader: ChainReader | undefined): Promise<void> {
  if (!reader) return;
  try {
    await reader.checkRegistry();
  } catch (error) {
    if (isMicrocredError(error) && REGISTRY_CONFIG_CODES.has(error.code)) throw error;
  }
}

/**
 * Creates the verifier. `verify(input, {challenge, domain})` throws only ERR_REGISTRY_* when the configured registry
 * is not a registry on its chain (a configuration error, never a verdict); otherwise it never throws: any input gives an outcome with its
 * reasons; an unexpected internal failure gives `indeterminate` with CHECK_ERROR.
 */
export function createVerifier(options: VerifierOptions = {}): Verifier {
  const chain = options.chain;
  const reader =
    chain === undefined
      ? undefined
      : 'reader' in chain
        ? chain.reader
        : createChainReader({
            chainId: chain.chainId,
            registryAddress: chain.registryAddress,
            rpcUrls: chain.rpcUrls,
            source: createRegistryClientSource({ rpcUrls: chain.rpcUrls, chainId: chain.chainId, registryAddress: chain.registryAddress, ...(chain.timeoutMs !== undefined ? { timeoutMs: chain.timeoutMs } : {}) }),
            ...(chain.statusTtlMs !== undefined ? { statusTtlMs: chain.statusTtlMs } : {}),
            ...(chain.batchSize !== undefined ? { batchSize: chain.batchSize } : {}),
            ...(options.now ? { now: options.now } : {}),
          });
  const base: VerificationPolicy = { ...DEFAULT_POLICY, ...options.policy };
  const policy: VerificationPolicy =
    base.trustedRegistries.length === 0 && reader ? { ...base, trustedRegistries: [{ chainId: reader.chainId, address: reader.registryAddress }] } : base;
  const deps: CheckDeps = {
    loader: options.loader ?? defaultDocumentLoader(),
    ...(options.didResolver ? { didResolver: options.didResolver } : {}),
    ...(reader ? { reader } : {}),
    policy,
    now: options.now ?? (() => new Date()),
    ...(options.statusListFetcher ? { statusListFetcher: options.statusListFetcher } : {}),
  };
  const prepared = new PreparedInputs();
  return {
    policy,
    reader,
    async checkRegistry() {
      await reader?.checkRegistry();
    },
    prefetch: (inputs) => prefetchInputs(inputs, deps, prepared),
    async verify(input: unknown, verifyOptions: VerifyOptions = {}): Promise<VerificationOutcome> {
      await assertRegistry(reader);
      try {
        // A fresh did:web budget per call: one presentation cannot make the verifier contact dozens of hosts.
        const budget = didFanOutBudget(options.maxDidWebPerVerification);
        const callDeps: CheckDeps = { ...deps, loader: budget.loader(deps.loader), ...(deps.didResolver ? { didResolver: budget.resolver(deps.didResolver) } : {}) };
        return await verifyAny(input, verifyOptions, callDeps, false, prepared.take(input));
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        const failed = checkResult('parse', 'error', 'CHECK_ERROR', 'The input could not be verified because of an unexpected problem; try again or report it.', { detail: detail.slice(0, 300) });
        return { ...decide([failed], policy), kind: 'unknown' };
      }
    },
    close() {
      reader?.close();
    },
  };
}
