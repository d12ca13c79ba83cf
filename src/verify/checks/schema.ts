// Check 2, schema: the credential has the VC Data Model (2.0 or 1.1) shape, and the Open Badges 3.0 shape if it says it is one.
import type { z } from 'zod';
import { VC_V1_CONTEXT } from '../../contexts';
import type { CredentialContext } from '../context';
import { OPEN_BADGE_TYPES, openBadgeShape, vcV1Shape, vcV2Shape } from '../credential-shape';
import { checkResult, type CheckResult } from '../result';
import { vcdmProblems } from '../../credential';

function issues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.slice(0, 10).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** SCHEMA_VALID (data {vcVersion, openBadges}), or failed SCHEMA_VC_INVALID (data.problems: VC DM rule violations) / SCHEMA_OB_INVALID with data.issues. */
export function schemaCheck(ctx: CredentialContext): CheckResult {
  const credential = ctx.parsed.credential;
  const contexts = credential['@context'];
  const v1 = Array.isArray(contexts) && contexts[0] === VC_V1_CONTEXT;
  const vc = (v1 ? vcV1Shape : vcV2Shape).safeParse(credential);
  const vcVersion = v1 ? '1.1' : '2.0';
  // The VC DM rules, one problem per violation with its VC DM error type (the VC-API answer lists each).
  const problems = vcdmProblems(credential);
  if (problems.length > 0) {
    return checkResult('schema', 'failed', 'SCHEMA_VC_INVALID', `The credential breaks the Verifiable Credential ${vcVersion} data model: ${problems.slice(0, 3).map((p) => `${p.path || '(root)'} ${p.message}`).join('; ')}.`, {
      vcVersion,
      problems: problems.slice(0, 20),
      issues: problems.slice(0, 10).map((p) => ({ path: p.path, message: p.message })),
    });
  }
  if (!vc.success) {
    return checkResult('schema', 'failed', 'SCHEMA_VC_INVALID', `The credential does not have the Verifiable Credential ${vcVersion} shape.`, {
      vcVersion,
      issues: issues(vc.error),
    });
  }
  const type = credential.type;
  const types: unknown[] = Array.isArray(type) ? type : [type];
  const openBadges = OPEN_BADGE_TYPES.some((t) => types.includes(t));
  if (openBadges) {
    const ob = openBadgeShape.safeParse(credential);
    if (!ob.success) {
      return checkResult('schema', 'failed', 'SCHEMA_OB_INVALID', 'The credential says it is an Open Badge but lacks the Open Badges 3.0 shape.', {
        vcVersion,
        issues: issues(ob.error),
      });
    }
  }
  return checkResult(
    'schema',
    'passed',
    'SCHEMA_VALID',
    openBadges ? 'The credential has the Verifiable Credential and Open Badges shape.' : `The credential has the Verifiable Credential ${vcVersion} shape (it is not an Open Badge).`,
    { vcVersion, openBadges },
  );
}
