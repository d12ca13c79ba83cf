// Runs an audit: verifies every input with the real verifier, reads each credential's facts, and decides.
import { readFile } from 'node:fs/promises';
import { STATUS_REASON_CODES } from '../anchoring';
import { MicrocredError } from '../errors';
import { parseInput } from '../verify';
import { verifyInputs, type BulkResult, type BulkSummary } from '../verify';
import type { Verifier } from '../verify';
import { decideAudit, type AuditEntry, type AuditResult } from './decide';
import { credentialFacts, type CredentialFacts } from './facts';
import type { AuditPolicy } from './policy';
import type { Licensee } from './roster';

/** Options of {@link runAudit}. */
export interface AuditRunOptions {
  readonly policy: AuditPolicy;
  /** The licensees; without a roster, every distinct subject DID among the credentials is one licensee. */
  readonly roster?: readonly Licensee[];
  /** A verifier that trusts exactly the policy's accepted registries. */
  readonly verifier: Verifier;
  readonly concurrency?: number;
  /** Called after every file is verified (progress). */
  readonly onFile?: () => void;
}

/** The audit's decision and the verification summary it rests on. */
export interface AuditRun extends AuditResult {
  readonly verification: BulkSummary;
}

/** The on-chain reason number in words ("issued in error"), or undefined for 0 / unknown. */
export function statusReasonWords(reason: unknown): string | undefined {
  if (typeof reason !== 'number' || reason === 0) return undefined;
  const word = Object.entries(STATUS_REASON_CODES).find(([, code]) => code === reason)?.[0];
  return word === undefined ? `reason code ${reason}` : word.replace(/_/g, ' ');
}

async function factsOf(file: string): Promise<CredentialFacts | undefined> {
  try {
    const parsed = parseInput((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
    return parsed.kind === 'credential' ? credentialFacts(parsed.credential) : undefined;
  } catch {
    return undefined;
  }
}

async function entryOf(result: BulkResult): Promise<AuditEntry> {
  const facts = result.category === 'not-credential' ? undefined : await factsOf(result.file);
  const revocation = result.reasons.find((r) => r.check === 'revocation' && r.status === 'failed');
  const statusReason = statusReasonWords(revocation?.data?.reason);
  // A presentation or an unreadable file has no single credential's facts: it cannot count for anyone.
  const verdict = result.category === 'not-credential' || facts === undefined ? 'not-credential' : result.category;
  return {
    file: result.file,
    verdict,
    flags: result.flags,
    reasons: result.reasons.map((r) => r.message).filter((m) => m.trim() !== ''),
    failedChecks: result.reasons.filter((r) => r.status === 'failed').map((r) => r.check),
    ...(statusReason !== undefined ? { statusReason } : {}),
    ...(result.endorsedBy !== undefined ? { endorsedBy: result.endorsedBy } : {}),
    ...(facts !== undefined ? { facts } : {}),
  };
}

/** One licensee per distinct subject DID (sorted), for an audit without a roster. */
function licenseesByDid(entries: readonly AuditEntry[]): Licensee[] {
  const dids = new Set(entries.flatMap((e) => (e.facts?.subjectDid !== undefined ? [e.facts.subjectDid] : [])));
  return [...dids].sort().map((did) => ({ id: did, did }));
}

/**
 * Verifies `inputs` (files and folders) and decides every licensee. Throws ERR_AUDIT_NO_CREDENTIALS when the inputs
 * hold no credential at all (an empty or junk-only folder is a mistake, not a compliant cohort).
 */
export async function runAudit(inputs: readonly string[], options: AuditRunOptions): Promise<AuditRun> {
  const pending: Promise<AuditEntry>[] = [];
  const verification = await verifyInputs(inputs, {
    verifier: options.verifier,
    concurrency: options.concurrency ?? 8,
    onResult: (result) => {
      pending.push(entryOf(result));
      options.onFile?.();
    },
  });
  const entries = await Promise.all(pending);
  if (!entries.some((e) => e.verdict !== 'not-credential')) {
    throw new MicrocredError('ERR_AUDIT_NO_CREDENTIALS', `No credential was found in ${inputs.join(', ')} (${entries.length} file(s) read, none a credential). Give the folder or files that hold the credentials.`, { details: { files: entries.length } });
  }
  const licensees = options.roster ?? licenseesByDid(entries);
  return { ...decideAudit(options.policy, licensees, entries), verification };
}
