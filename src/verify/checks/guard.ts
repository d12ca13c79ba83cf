// Makes every check total: an exception (a bug, or a library surprised by hostile input) becomes an `error` result.
import { checkResult, type CheckName, type CheckResult } from '../result';

/** Code of a check that threw unexpectedly; the verdict becomes indeterminate, never invalid. */
export const CHECK_ERROR = 'CHECK_ERROR';

/** Runs `run`; if it throws or rejects, returns `error` CHECK_ERROR for `check` instead. */
export async function guarded(check: CheckName, run: () => Promise<CheckResult> | CheckResult): Promise<CheckResult> {
  try {
    return await run();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return checkResult(check, 'error', CHECK_ERROR, 'This check could not be completed because of an unexpected problem; try again or report it.', {
      detail: detail.slice(0, 300),
    });
  }
}
