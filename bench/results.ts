// The shape of bench/results.json: every figure with its baseline, each step's wall time and peak memory.
import type { GasResult } from './gas-child';
import type { BatchLatencyResult } from './batch-load-child';
import type { BaselineResult } from './issue-baseline-child';
import type { IssueRunResult } from './issue-child';
import type { LoadResult } from './load-child';
import type { MerkleResult } from './merkle-child';
import type { StartupResult } from './startup';

/** Wall time and peak memory of one child process. */
export interface ProcessCost {
  wallMs: number;
  /** The process's own peak RSS (getrusage maxRSS), MiB. */
  peakRssMb: number;
}

/** A bulk verification run of `microcred verify` over one folder. */
export interface CliVerifyResult extends ProcessCost {
  n: number;
  valid: number;
  invalid: number;
  indeterminate: number;
  chainReads: number;
  distinctRoots: number;
  distinctLeaves: number;
  /** Wall time of the same command over a folder of one credential (process start, module loading, first check). */
  startupMs: number;
  /** n / wall time. */
  rateWall: number;
  /** n / (wall time − startup): the steady rate, comparable with the in-process baseline loops. */
  rate: number;
}

/** One HTTP load run. */
export interface HttpResult extends LoadResult {
  serverPeakRssMb: number;
  loadPeakRssMb: number;
}

/** One target of the issue, evaluated. */
export interface TargetResult {
  name: string;
  target: string;
  measured: string;
  met: boolean;
  /** Why not, and what would meet it (empty when met). */
  note: string;
}

/** Everything one run measured. */
export interface BenchResults {
  mode: 'full' | 'quick';
  startedAt: string;
  totalSeconds: number;
  machine: { cpus: number; cpuModel: string; node: string; totalMemMb: number; loadAvgStart: number[]; loadAvgEnd: number[] };
  issuance: {
    di: IssueRunResult & ProcessCost;
    jose: IssueRunResult & ProcessCost;
    baselines: { vcIssue: BaselineResult & ProcessCost; joseSign: BaselineResult & ProcessCost; rawEd25519: BaselineResult & ProcessCost };
  };
  anchoring: { gas: GasResult & ProcessCost; merkle: MerkleResult & ProcessCost; setup: { di: ProcessCost & { batches: number }; jose: ProcessCost & { batches: number } } };
  verification: {
    di: CliVerifyResult;
    jose: CliVerifyResult;
    baselines: { vcVerify: BaselineResult & ProcessCost; joseVerify: BaselineResult & ProcessCost };
  };
  http: { di: HttpResult; jose: HttpResult };
  /** /v1/verify p99 on the all-in-one server while a batch is issued, against p99 alone (docs/security.md H5). */
  batchLatency: BatchLatencyResult & { serverPeakRssMb: number };
  /** CLI start-up against a bare `node -e 0` (absent in results written before it was measured). */
  startup?: StartupResult;
  targets: TargetResult[];
}
