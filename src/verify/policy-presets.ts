// Named policies (default, strict, lenient) and a policy read from JSON, for the CLI and configuration.
import { z } from 'zod';
import { MicrocredError } from '../errors';
import { DEFAULT_POLICY, type VerificationPolicy } from './policy';
import { CHECK_NAMES } from './result';

/**
 * Named policies: `default` is DEFAULT_POLICY; `strict` allows less clock skew and requires holder binding; `lenient` accepts pending anchors of
 * registered, active issuers and suspended issuers' earlier credentials (never an issuer the registry does not know).
 */
export const POLICY_PRESETS: Readonly<Record<string, VerificationPolicy>> = {
  default: DEFAULT_POLICY,
  strict: { ...DEFAULT_POLICY, acceptPendingAnchor: false, requireAccreditation: true, clockSkewSeconds: 30, holderBinding: 'require' },
  lenient: { ...DEFAULT_POLICY, acceptPendingAnchor: true, requireAccreditation: false, clockSkewSeconds: 300 },
};

/** A policy file: every field optional; `preset` picks the base. Unknown fields are errors, so typos never pass silently. */
export const policyFileSchema = z
  .object({
    preset: z.enum(['default', 'strict', 'lenient']).optional(),
    trustedRegistries: z
      .array(z.object({ chainId: z.number().int().positive(), address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x address') }).strict())
      .optional(),
    acceptPendingAnchor: z.boolean().optional(),
    requireAccreditation: z.boolean().optional(),
    clockSkewSeconds: z.number().int().min(0).max(86_400).optional(),
    holderBinding: z.enum(['flag', 'require', 'when-challenged']).optional(),
    allowUnchecked: z.array(z.enum(CHECK_NAMES)).max(CHECK_NAMES.length).optional(),
    nodeLagWindowSeconds: z.number().int().min(0).max(86_400).optional(),
    requireEndorsementBy: z.array(z.string().regex(/^did:[a-z0-9]+:\S+$/, 'must be a DID')).max(50).optional(),
  })
  .strict();

/** Builds a policy from a parsed policy file; throws ERR_POLICY_INVALID with `details.issues`. */
export function policyFromJson(value: unknown): VerificationPolicy {
  const parsed = policyFileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    throw new MicrocredError('ERR_POLICY_INVALID', `The policy is not valid: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`, { details: { issues } });
  }
  const { preset, ...rest } = parsed.data;
  const base = POLICY_PRESETS[preset ?? 'default']!;
  return {
    ...base,
    ...(rest.trustedRegistries !== undefined ? { trustedRegistries: rest.trustedRegistries } : {}),
    ...(rest.acceptPendingAnchor !== undefined ? { acceptPendingAnchor: rest.acceptPendingAnchor } : {}),
    ...(rest.requireAccreditation !== undefined ? { requireAccreditation: rest.requireAccreditation } : {}),
    ...(rest.clockSkewSeconds !== undefined ? { clockSkewSeconds: rest.clockSkewSeconds } : {}),
    ...(rest.holderBinding !== undefined ? { holderBinding: rest.holderBinding } : {}),
    ...(rest.allowUnchecked !== undefined ? { allowUnchecked: [...new Set(rest.allowUnchecked)] } : {}),
    ...(rest.nodeLagWindowSeconds !== undefined ? { nodeLagWindowSeconds: rest.nodeLagWindowSeconds } : {}),
    ...(rest.requireEndorsementBy !== undefined ? { requireEndorsementBy: [...new Set(rest.requireEndorsementBy)] } : {}),
  };
}
