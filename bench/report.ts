// Writes bench/REPORT.md from one run's results: the targets first, then one table per step, and the charts.
import { int, mib, rate, ratio, secs } from './format';
import type { BenchResults } from './results';

// Numbers right-aligned after the first column, unless the table is words.
const table = (head: string[], rows: string[][], numeric = true): string[] => [
  `| ${head.join(' | ')} |`,
  `| ${head.map((_, i) => (i === 0 || !numeric ? '---' : '---:')).join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

/** Step 5: verification latency alone and during a batch (absent from results written before the step existed). */
function batchLatencySection(bl: BenchResults['batchLatency'] | undefined): string[] {
  if (bl === undefined) return ['## 5. Verification while a batch is issued', '', 'Not measured in this run (its results.json predates the step): run `npm run bench` again.', ''];
  return [
    '## 5. Verification while a batch is issued',
    '',
    `The all-in-one server (issuer and verifier APIs on one port, \`microcred serve\`'s default signer) in its own process; \`autocannon\` in a second process with ${bl.connections} connections on \`POST /v1/verify\` (Data Integrity credentials), first alone, then while one ${int(bl.batchRows)}-row Data Integrity batch is issued through \`POST /v1/credentials/batch\` on the same server (load stops when the batch answers). The batch yields to the event loop after every signed row (docs/security.md, H5).`,
    '',
    ...table(
      ['verification', 'requests', 'p50', 'p99', 'max'],
      [
        ['alone', int(bl.alone.requests), `${bl.alone.p50Ms} ms`, `${bl.alone.p99Ms} ms`, `${bl.alone.maxMs} ms`],
        [`during the ${int(bl.batchRows)}-row batch (${secs(bl.batchMs)}, ${int(bl.batchIssued)} issued)`, int(bl.duringBatch.requests), `${bl.duringBatch.p50Ms} ms`, `${bl.duringBatch.p99Ms} ms`, `${bl.duringBatch.maxMs} ms`],
      ],
    ),
    '',
    `**p99 during the batch / p99 alone: ${bl.p99Ratio.toFixed(1)}×.**`,
    '',
  ];
}

/** The report as Markdown; `charts` are the SVG file names relative to the report. */
export function renderReport(r: BenchResults, charts: { gas: string; throughput: string }): string {
  const { issuance: iss, anchoring: anc, verification: ver, http } = r;
  const bl = r.batchLatency as BenchResults['batchLatency'] | undefined;
  const met = r.targets.filter((t) => t.met).length;
  const lines: string[] = [
    '# microcred benchmarks',
    '',
    `Written by \`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\` (bench/run.ts) on ${r.startedAt.slice(0, 10)}; the run took ${secs(r.totalSeconds * 1000)}. Do not edit by hand: run it again.`,
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${mib(r.machine.totalMemMb)} RAM, Node.js ${r.machine.node}. Load average at the start ${r.machine.loadAvgStart.map((l) => l.toFixed(2)).join(' / ')}, at the end ${r.machine.loadAvgEnd.map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min): other work on the machine lowers every figure, baselines included, which is why each figure is set beside a baseline measured in the same run.`,
    '',
    `## Targets: ${met} of ${r.targets.length} met`,
    '',
    ...table(['target', 'goal', 'measured', 'met'], r.targets.map((t) => [t.name, t.target, t.measured, t.met ? '**met**' : '**not met**']), false),
    '',
  ];
  const missed = r.targets.filter((t) => !t.met);
  if (missed.length > 0) {
    lines.push('### Why the missed targets are missed, and what would meet them', '');
    for (const t of missed) lines.push(`- **${t.name}.** ${t.note}`);
    lines.push('');
  }

  lines.push(
    '## 1. Issuance',
    '',
    `One realistic Open Badges 3.0 credential (hashed email and display name, module with description, criteria, image and credits, result, two-year validity): ${int(iss.di.unsignedBytes)} bytes unsigned, ${int(iss.di.securedBytes)} bytes with its Data Integrity proof, ${int(iss.jose.securedBytes)} bytes as a VC-JOSE compact JWS.`,
    'End to end is `IssuerService.issueMany` over rows read by `parseCohortCsv` (the CSV import path): validate, build, sign, store in SQLite (synchronous=FULL) and add the leaf to the open anchoring batch. Baselines sign the same credentials, built beforehand, in a plain loop.',
    '',
    ...table(
      ['form', 'credentials', 'end to end /s', 'baseline', 'baseline /s', 'ratio', 'peak memory'],
      [
        ['VC-JOSE', int(iss.jose.n), rate(iss.jose.rate), `jose CompactSign loop (${int(iss.baselines.joseSign.n)})`, rate(iss.baselines.joseSign.rate), ratio(iss.jose.rate, iss.baselines.joseSign.rate), mib(iss.jose.peakRssMb)],
        ['VC-JOSE', int(iss.jose.n), rate(iss.jose.rate), `raw node:crypto Ed25519 (${int(iss.baselines.rawEd25519.n)}), the floor`, rate(iss.baselines.rawEd25519.rate), ratio(iss.jose.rate, iss.baselines.rawEd25519.rate), mib(iss.jose.peakRssMb)],
        ['Data Integrity', int(iss.di.n), rate(iss.di.rate), `plain @digitalbazaar/vc issue loop (${int(iss.baselines.vcIssue.n)})`, rate(iss.baselines.vcIssue.rate), ratio(iss.di.rate, iss.baselines.vcIssue.rate), mib(iss.di.peakRssMb)],
      ],
    ),
    '',
    `Signer used by the service: ${iss.di.signer}. Parsing the CSV took ${secs(iss.jose.csvParseMs)} for ${int(iss.jose.n)} rows and ${secs(iss.di.csvParseMs)} for ${int(iss.di.n)}; counting it, end to end is ${rate(iss.jose.rateWithCsv)}/s (VC-JOSE) and ${rate(iss.di.rateWithCsv)}/s (Data Integrity).`,
    `Baseline processes' peak memory: vc loop ${mib(iss.baselines.vcIssue.peakRssMb)}, jose loop ${mib(iss.baselines.joseSign.peakRssMb)}, raw Ed25519 ${mib(iss.baselines.rawEd25519.peakRssMb)}.`,
    '',
    `![Throughput against baseline](${charts.throughput})`,
    '',
    '## 2. Anchoring cost',
    '',
    `Each batch size's tree is built from random bytes32 leaves with the project's \`buildTree\`, and its root anchored with \`RegistryClient.anchor\` on a \`hardhat node\` process. One transaction per credential is the mean of ${anc.gas.singles.count} single-leaf anchors: ${int(anc.gas.singles.gasPerCredential)} gas each.`,
    '',
    ...table(
      ['batch size', 'anchor gas', 'gas per credential', 'cheaper than one transaction per credential', 'tree build', 'Merkle path length'],
      anc.gas.rows.map((row) => [int(row.batchSize), int(row.gas), row.gasPerCredential >= 100 ? int(row.gasPerCredential) : row.gasPerCredential.toFixed(3), `${int(anc.gas.singles.gasPerCredential / row.gasPerCredential)}×`, secs(row.treeBuildMs), String(row.pathLength)]),
    ),
    '',
    `![Gas per credential against batch size](${charts.gas})`,
    '',
    `**Merkle tree of ${int(anc.merkle.leaves)} leaves**, alone in its process: built in ${secs(anc.merkle.buildMs)}; peak RSS ${mib(anc.merkle.peakRssMb)} (the process held ${mib(anc.merkle.baselineRssMb)} before the leaves were made and ${mib(anc.merkle.leavesRssMb)} once the leaf strings existed, so the tree itself took ${mib(anc.merkle.peakRssMb - anc.merkle.leavesRssMb)}).`,
    '',
    `Anchoring the issued cohorts for step 3 through the real outbox (\`createAnchorer\`, \`anchorNow\`): Data Integrity ${anc.setup.di.batches} batches in ${secs(anc.setup.di.wallMs)}, VC-JOSE ${anc.setup.jose.batches} batches in ${secs(anc.setup.jose.wallMs)} (process wall time, including writing the folders).`,
    '',
    '## 3. Bulk verification',
    '',
    `\`node bin/microcred.cjs verify <folder> --json\` as a real child process against the \`hardhat node\` where the credentials are anchored, default settings (worker threads, one per core, for runs of 1,000 files or more; one thread below). The steady rate leaves out the start-up (the same command over a one-credential folder, on one thread); the wall rate includes it. Baselines verify the same files with no chain: a plain \`@digitalbazaar/vc\` \`verifyCredential\` loop and a plain \`jose\` \`compactVerify\` loop with the key imported once.`,
    '',
    ...table(
      ['form', 'credentials', 'wall time', 'start-up', 'steady /s', 'wall /s', 'baseline /s', 'ratio', 'chain reads', 'distinct roots + leaves', 'peak memory'],
      [
        ['VC-JOSE', int(ver.jose.n), secs(ver.jose.wallMs), secs(ver.jose.startupMs), rate(ver.jose.rate), rate(ver.jose.rateWall), `${rate(ver.baselines.joseVerify.rate)} (jose, ${int(ver.baselines.joseVerify.n)})`, ratio(ver.jose.rate, ver.baselines.joseVerify.rate), int(ver.jose.chainReads), `${int(ver.jose.distinctRoots)} + ${int(ver.jose.distinctLeaves)}`, mib(ver.jose.peakRssMb)],
        ['Data Integrity', int(ver.di.n), secs(ver.di.wallMs), secs(ver.di.startupMs), rate(ver.di.rate), rate(ver.di.rateWall), `${rate(ver.baselines.vcVerify.rate)} (vc, ${int(ver.baselines.vcVerify.n)})`, ratio(ver.di.rate, ver.baselines.vcVerify.rate), int(ver.di.chainReads), `${int(ver.di.distinctRoots)} + ${int(ver.di.distinctLeaves)}`, mib(ver.di.peakRssMb)],
      ],
    ),
    '',
    '## 4. HTTP verification',
    '',
    `\`POST /v1/verify\` on a real server process (\`startVerifierServer\`, rate limit off, 127.0.0.1, verifying in worker threads, one per core, as \`microcred serve\` does by default) against the same \`hardhat node\`; \`autocannon\` in a second process, ${http.jose.connections} connections for ${http.jose.durationS} s, cycling through ${http.jose.distinctBodies} different anchored credentials. Compared with the steady in-process rate of step 3.`,
    '',
    ...table(
      ['form', 'requests', 'req/s', 'p50', 'p90', 'p99', 'max', 'errors / non-2xx', 'in-process /s', 'ratio', 'server peak memory'],
      [
        ['VC-JOSE', int(http.jose.requests), rate(http.jose.rps), `${http.jose.p50Ms} ms`, `${http.jose.p90Ms} ms`, `${http.jose.p99Ms} ms`, `${http.jose.maxMs} ms`, `${http.jose.errors} / ${http.jose.non2xx}`, rate(ver.jose.rate), ratio(http.jose.rps, ver.jose.rate), mib(http.jose.serverPeakRssMb)],
        ['Data Integrity', int(http.di.requests), rate(http.di.rps), `${http.di.p50Ms} ms`, `${http.di.p90Ms} ms`, `${http.di.p99Ms} ms`, `${http.di.maxMs} ms`, `${http.di.errors} / ${http.di.non2xx}`, rate(ver.di.rate), ratio(http.di.rps, ver.di.rate), mib(http.di.serverPeakRssMb)],
      ],
    ),
    '',
    ...batchLatencySection(bl),
    '## 6. Peak memory of each run',
    '',
    'Each step runs in its own process; the figure is that process\'s peak resident set (getrusage maxRSS, read as it exits).',
    '',
    ...table(
      ['run', 'peak memory', 'wall time'],
      [
        ['issue VC-JOSE (issueMany)', mib(iss.jose.peakRssMb), secs(iss.jose.wallMs)],
        ['issue Data Integrity (issueMany)', mib(iss.di.peakRssMb), secs(iss.di.wallMs)],
        ['baseline vc issue loop', mib(iss.baselines.vcIssue.peakRssMb), secs(iss.baselines.vcIssue.wallMs)],
        ['baseline jose sign loop', mib(iss.baselines.joseSign.peakRssMb), secs(iss.baselines.joseSign.wallMs)],
        ['baseline raw Ed25519 loop', mib(iss.baselines.rawEd25519.peakRssMb), secs(iss.baselines.rawEd25519.wallMs)],
        ['gas per batch size', mib(anc.gas.peakRssMb), secs(anc.gas.wallMs)],
        [`Merkle tree, ${int(anc.merkle.leaves)} leaves`, mib(anc.merkle.peakRssMb), secs(anc.merkle.wallMs)],
        ['anchor Data Integrity cohort (outbox)', mib(anc.setup.di.peakRssMb), secs(anc.setup.di.wallMs)],
        ['anchor VC-JOSE cohort (outbox)', mib(anc.setup.jose.peakRssMb), secs(anc.setup.jose.wallMs)],
        ['microcred verify, VC-JOSE folder', mib(ver.jose.peakRssMb), secs(ver.jose.wallMs)],
        ['microcred verify, Data Integrity folder', mib(ver.di.peakRssMb), secs(ver.di.wallMs)],
        ['baseline jose verify loop', mib(ver.baselines.joseVerify.peakRssMb), secs(ver.baselines.joseVerify.wallMs)],
        ['baseline vc verify loop', mib(ver.baselines.vcVerify.peakRssMb), secs(ver.baselines.vcVerify.wallMs)],
        ['HTTP server, VC-JOSE load', mib(http.jose.serverPeakRssMb), `${http.jose.durationS} s of load`],
        ['HTTP server, Data Integrity load', mib(http.di.serverPeakRssMb), `${http.di.durationS} s of load`],
        ['autocannon (VC-JOSE / Data Integrity)', `${mib(http.jose.loadPeakRssMb)} / ${mib(http.di.loadPeakRssMb)}`, ''],
        ...(bl === undefined ? [] : [[`all-in-one server, ${int(bl.batchRows)}-row batch under verification load`, mib(bl.serverPeakRssMb), secs(bl.batchMs)]]),
      ],
    ),
    '',
    'The raw figures are in `bench/results.json` (not committed); run `npm run bench` to refresh both files.',
    '',
  );
  return lines.join('\n');
}
