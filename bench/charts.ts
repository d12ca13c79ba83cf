// SVG charts for the report, drawn by Vega-Lite and rendered headless by Vega (no browser, no network).
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BenchResults } from './results';

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Gas per credential against batch size (log–log), with one transaction per credential and the target as rules. */
export function gasChart(r: Pick<BenchResults, 'anchoring'>): Promise<string> {
  const { rows, singles } = r.anchoring.gas;
  const rules = [
    { label: `one transaction per credential (${Math.round(singles.gasPerCredential).toLocaleString('en-US')} gas)`, gas: singles.gasPerCredential },
    { label: 'target at 10,000: 5 gas', gas: 5 },
  ];
  return toSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Anchoring: gas per credential against batch size',
    width: 520,
    height: 300,
    layer: [
      {
        data: { values: rows.map((row) => ({ batchSize: row.batchSize, gasPerCredential: row.gasPerCredential })) },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'batchSize', type: 'quantitative', scale: { type: 'log' }, title: 'credentials per anchored root (batch size)' },
          y: { field: 'gasPerCredential', type: 'quantitative', scale: { type: 'log' }, title: 'gas per credential' },
        },
      },
      {
        data: { values: rules },
        mark: { type: 'rule', strokeDash: [6, 4] },
        encoding: { y: { field: 'gas', type: 'quantitative' }, color: { field: 'label', type: 'nominal', title: null, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 400 } } },
      },
    ],
  });
}

/** Each throughput beside its baselines, per second, on a log axis. */
export function throughputChart(r: Omit<BenchResults, 'targets'>): Promise<string> {
  const { issuance: iss, verification: ver, http } = r;
  const values = [
    { step: 'Issue VC-JOSE', what: 'microcred end to end', rate: iss.jose.rate },
    { step: 'Issue VC-JOSE', what: 'baseline: jose CompactSign loop', rate: iss.baselines.joseSign.rate },
    { step: 'Issue VC-JOSE', what: 'floor: raw node:crypto Ed25519', rate: iss.baselines.rawEd25519.rate },
    { step: 'Issue Data Integrity', what: 'microcred end to end', rate: iss.di.rate },
    { step: 'Issue Data Integrity', what: 'baseline: plain @digitalbazaar/vc loop', rate: iss.baselines.vcIssue.rate },
    { step: 'Verify VC-JOSE (bulk)', what: 'microcred end to end', rate: ver.jose.rate },
    { step: 'Verify VC-JOSE (bulk)', what: 'baseline: jose compactVerify loop', rate: ver.baselines.joseVerify.rate },
    { step: 'Verify Data Integrity (bulk)', what: 'microcred end to end', rate: ver.di.rate },
    { step: 'Verify Data Integrity (bulk)', what: 'baseline: plain @digitalbazaar/vc loop', rate: ver.baselines.vcVerify.rate },
    { step: 'Verify VC-JOSE (HTTP)', what: 'microcred end to end', rate: http.jose.rps },
    { step: 'Verify VC-JOSE (HTTP)', what: 'baseline: in-process bulk rate', rate: ver.jose.rate },
    { step: 'Verify Data Integrity (HTTP)', what: 'microcred end to end', rate: http.di.rps },
    { step: 'Verify Data Integrity (HTTP)', what: 'baseline: in-process bulk rate', rate: ver.di.rate },
  ];
  return toSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Throughput against baseline (per second, log scale)',
    width: 520,
    height: { step: 11 },
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'step', type: 'nominal', title: null, sort: null, axis: { labelLimit: 300 } },
      yOffset: { field: 'what', type: 'nominal' },
      // Side by side, never stacked: a stacked bar on a log axis means nothing.
      x: { field: 'rate', type: 'quantitative', stack: null, scale: { type: 'log' }, title: 'credentials (or requests) per second' },
      color: { field: 'what', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2, labelLimit: 400 } },
    },
  });
}
