// Adds the holder-binding check to each credential of a presentation and lets the policy decide again.
import { holderBindingCheck } from './checks/holder-binding';
import { parseInput } from './input';
import { decide, type VerificationPolicy } from './policy';
import type { VerificationOutcome } from './result';

/** Who presented (undefined when no holder proof passed) and whether the verifier asked for a challenge or domain. */
export interface HolderBinding {
  readonly presenter: string | undefined;
  readonly challenged: boolean;
}

/**
 * The outcome of one credential `entry` of a presentation, with a `holder-binding` check appended and the verdict and
 * flags decided again. Inputs that are not credentials are returned unchanged (they are invalid already).
 */
export function bindToHolder(outcome: VerificationOutcome, entry: unknown, binding: HolderBinding, policy: VerificationPolicy): VerificationOutcome {
  if (outcome.kind !== 'credential') return outcome;
  const parsed = parseInput(entry);
  if (parsed.kind !== 'credential') return outcome;
  const check = holderBindingCheck(parsed.credential, binding.presenter, binding.challenged);
  return { ...outcome, ...decide([...outcome.checks, check], policy) };
}
