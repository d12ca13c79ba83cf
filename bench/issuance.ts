// Step 1 in the parent: issuance end to end per form, and its three baselines, each in its own process.
import path from 'node:path';
import type { BenchConfig } from './config';
import { runNode } from './child';
import type { BaselineResult } from './issue-baseline-child';
import type { IssueRunResult } from './issue-child';
import { progress } from './progress';
import type { BenchResults } from './results';

const MINUTES = 60_000;

/** Issues both cohorts into `dataDirs` and runs the baselines; `issuerFile` holds the shared bench issuer. */
export async function measureIssuance(config: BenchConfig, issuerFile: string, dataDirs: { di: string; jose: string }): Promise<BenchResults['issuance']> {
  const issue = async (form: 'di' | 'jose', n: number, maxLeaves: number) => {
    progress(`issuance: ${n} ${form} credentials through issueMany`);
    const run = await runNode<IssueRunResult>(path.join(__dirname, 'issue-child.ts'), ['--form', form, '--n', String(n), '--data', dataDirs[form], '--issuer', issuerFile, '--max-leaves', String(maxLeaves)], { timeoutMs: 8 * MINUTES });
    progress(`issuance ${form}: ${run.result.rate.toFixed(0)}/s end to end, peak ${run.peakRssMb.toFixed(0)} MiB`);
    return { ...run.result, wallMs: run.wallMs, peakRssMb: run.peakRssMb };
  };
  const baseline = async (mode: string, n: number) => {
    const run = await runNode<BaselineResult>(path.join(__dirname, 'issue-baseline-child.ts'), ['--mode', mode, '--n', String(n), '--issuer', issuerFile], { timeoutMs: 5 * MINUTES });
    progress(`baseline ${mode}: ${run.result.rate.toFixed(0)}/s, peak ${run.peakRssMb.toFixed(0)} MiB`);
    return { ...run.result, wallMs: run.wallMs, peakRssMb: run.peakRssMb };
  };
  // Each figure runs right beside its baseline, so a change in the machine's load hits both alike.
  const di = await issue('di', config.issue.di, config.batchLeaves.di);
  const vcIssue = await baseline('vc-issue', config.issueBaselines.vcIssue);
  const joseSign = await baseline('jose-sign', config.issueBaselines.joseSign);
  const jose = await issue('jose', config.issue.jose, config.batchLeaves.jose);
  const rawEd25519 = await baseline('raw-ed25519', config.issueBaselines.rawEd25519);
  return { di, jose, baselines: { vcIssue, joseSign, rawEd25519 } };
}
