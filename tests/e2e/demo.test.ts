// `npm run demo` tells the whole story and ends with exit code 0 (it checks its own exit codes: 0, then 1 after the revocation).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanEnv, ROOT } from '../helpers/cli';

describe('npm run demo', () => {
  it('issues a cohort, verifies it with the CLI, revokes one and sees the revocation', () => {
    const run = spawnSync('npm', ['run', 'demo'], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8', timeout: 180_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('4 credentials issued.');
    expect(run.stdout).toContain('row 6 was not issued: learner_email');
    expect(run.stdout).toMatch(/Verified 4 file\(s\): 4 valid/);
    expect(run.stdout).toMatch(/Verified 4 file\(s\): 3 valid, 1 invalid/);
    expect(run.stdout).toContain('REVOCATION_REVOKED');
    expect(run.stdout).toMatch(/share link: http:\/\/127\.0\.0\.1:\d+\/c\/[A-Za-z0-9_-]{22}\n/);
    const pdf = /PDF certificate: (\S+\.pdf)\n/.exec(run.stdout)?.[1];
    expect(pdf !== undefined && readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    rmSync(pdf!, { force: true });
  });
});
