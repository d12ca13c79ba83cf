// The schema check of a presentation: the VC Data Model 2.0 presentation rules, one problem per violation (the credentials inside get their own).
import { vpProblems } from '../../credential';
import { checkResult, type CheckResult } from '../result';

/** SCHEMA_VALID, or failed SCHEMA_VC_INVALID with data.problems (VC DM rule violations, each with its error type). */
export function presentationSchemaCheck(presentation: Record<string, unknown>): CheckResult {
  const problems = vpProblems(presentation);
  if (problems.length > 0) {
    return checkResult('schema', 'failed', 'SCHEMA_VC_INVALID', `The presentation breaks the Verifiable Credentials data model: ${problems.slice(0, 3).map((p) => `${p.path || '(root)'} ${p.message}`).join('; ')}.`, {
      problems: problems.slice(0, 20),
      issues: problems.slice(0, 10).map((p) => ({ path: p.path, message: p.message })),
    });
  }
  return checkResult('schema', 'passed', 'SCHEMA_VALID', 'The presentation has the Verifiable Presentation shape.');
}
