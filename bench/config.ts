// Sizes of the full run (`npm run bench`, under 15 minutes on 2 cores) and the quick smoke run (`-- --quick`).

/** Every size the run uses. */
export interface BenchConfig {
  mode: 'full' | 'quick';
  /** Cohort issued end to end per form. */
  issue: { di: number; jose: number };
  /** Baseline loop lengths (per-second rates are compared, so they may be shorter than the cohort). */
  issueBaselines: { vcIssue: number; joseSign: number; rawEd25519: number };
  /** Batch sizes whose root is anchored for the gas figures, and how many one-credential anchors to average. */
  gas: { sizes: number[]; singles: number };
  merkleLeaves: number;
  /** Credentials per verification folder, per form, and the baseline loop lengths over the same files. */
  verify: { n: number; vcVerify: number; joseVerify: number };
  http: { connections: number; durationS: number; bodies: number };
  /** Leaves per batch when the cohorts are anchored for verification. */
  batchLeaves: { di: number; jose: number };
  /** Verification latency on the all-in-one server alone (durationS of load) and while a `rows`-row batch is issued. */
  batchLatency: { rows: number; connections: number; durationS: number };
  /** Runs of each command in the CLI start-up measurement. */
  startupRuns: number;
}

/** The full run. */
export const FULL: BenchConfig = {
  mode: 'full',
  issue: { di: 10_000, jose: 100_000 },
  issueBaselines: { vcIssue: 2_000, joseSign: 20_000, rawEd25519: 100_000 },
  gas: { sizes: [1, 10, 100, 1_000, 10_000, 100_000], singles: 20 },
  merkleLeaves: 1_000_000,
  verify: { n: 10_000, vcVerify: 2_000, joseVerify: 10_000 },
  http: { connections: 8, durationS: 10, bodies: 200 },
  batchLeaves: { di: 1_000, jose: 10_000 },
  batchLatency: { rows: 3_000, connections: 2, durationS: 10 },
  startupRuns: 21,
};

/** The quick smoke run for CI: every step, small sizes, nothing timed is asserted. */
export const QUICK: BenchConfig = {
  mode: 'quick',
  issue: { di: 200, jose: 2_000 },
  issueBaselines: { vcIssue: 200, joseSign: 2_000, rawEd25519: 2_000 },
  gas: { sizes: [1, 10, 100, 1_000, 10_000], singles: 5 },
  merkleLeaves: 100_000,
  verify: { n: 200, vcVerify: 200, joseVerify: 200 },
  http: { connections: 4, durationS: 2, bodies: 50 },
  batchLeaves: { di: 100, jose: 1_000 },
  batchLatency: { rows: 300, connections: 2, durationS: 2 },
  startupRuns: 5,
};
