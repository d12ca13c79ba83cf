// `npm run demo` tells the whole story and ends with exit code 0 (it checks its own exit codes: 0, then 1 after the revocation).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanEnv, ROOT } from '../helpers/cli';

describe('npm run demo', () => {
  // As long as the run itself may take (spawnSync's timeout), not the default 60 s: a loaded machine needs more.
  it('defines and endorses a module, issues a cohort by module id, emails it, verifies it with the CLI, revokes one and sees the revocation, and prints a wallet offer link', { timeout: 200_000 }, () => {
    const run = spawnSync('npm', ['run', 'demo'], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8', timeout: 180_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('module https://example.org/modules/acls-2025, version 1.');
    expect(run.stdout).toMatch(/endorsement urn:uuid:\S+ by did:key:\S+, anchored in the same registry/);
    expect(run.stdout).toContain('accredited by Royal College of Examples');
    expect(run.stdout).toContain('4 credentials issued.');
    expect(run.stdout).toContain('row 6 was not issued: learner_email');
    expect(run.stdout).toContain('4 messages caught');
    expect(run.stdout).toMatch(/Verified 4 file\(s\): 4 valid/);
    expect(run.stdout).toMatch(/Verified 4 file\(s\): 3 valid, 1 invalid/);
    expect(run.stdout).toContain('REVOCATION_REVOKED');
    expect(run.stdout).toMatch(/openid-credential-offer:\/\/\?credential_offer=\S+/);
    expect(run.stdout).toMatch(/PIN for a second channel: \d{6}/);
    expect(run.stdout).toMatch(/share link: http:\/\/127\.0\.0\.1:\d+\/c\/[A-Za-z0-9_-]{22}\n/);
    const pdf = /PDF certificate: (\S+\.pdf)\n/.exec(run.stdout)?.[1];
    expect(pdf !== undefined && readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    rmSync(pdf!, { force: true });
  });
});
