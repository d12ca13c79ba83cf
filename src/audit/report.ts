// The audit's reports: lines for a terminal, a CSV (one row per credential), and a printable HTML page.
import { stringify } from 'csv-stringify/sync';
import { safeCell } from '../verify';
import type { AuditItem, AuditResult, LicenseeDecision } from './decide';
import type { AuditPolicy } from './policy';

const DECISION_WORDS: Record<LicenseeDecision['decision'], string> = {
  compliant: 'COMPLIANT',
  'non-compliant': 'NOT COMPLIANT',
  undetermined: 'UNDETERMINED (some credentials could not be checked)',
};

const n = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(2));
const who = (d: LicenseeDecision): string => `${d.licensee.name ?? d.licensee.id} (${d.licensee.id})`;

function shortfallWords(d: LicenseeDecision, unit: string): string {
  const parts = d.shortfall > 0 ? [`${n(d.shortfall)} ${unit} short of ${n(d.required)}`] : [];
  for (const c of d.categories) if (c.shortfall > 0) parts.push(`${n(c.shortfall)} short in "${c.name}" (minimum ${n(c.min ?? 0)})`);
  return parts.join('; ');
}

function itemLine(i: AuditItem, unit: string): string {
  const what = `${i.achievement ?? 'unnamed achievement'} from ${i.issuer ?? 'an unknown issuer'}`;
  const credits = i.rejection === undefined ? `${n(i.counted)} ${unit}` : `${n(i.credits)} ${unit} not counted`;
  return `${what}, completed ${i.completedAt?.slice(0, 10) ?? '?'}: ${credits}. ${i.reason} [${i.file}]`;
}

/** The audit as lines of text: one block per licensee, then unmatched credentials and non-credential files. */
export function auditLines(result: AuditResult, policy: AuditPolicy): string[] {
  const unit = policy.creditUnit;
  const lines: string[] = [];
  for (const d of result.licensees) {
    const short = shortfallWords(d, unit);
    lines.push(`${DECISION_WORDS[d.decision]}  ${who(d)}: ${n(d.total)} of ${n(d.required)} ${unit}${short ? ` — ${short}` : ''}`);
    for (const c of d.categories) lines.push(`    ${c.name}: ${n(c.credits)}${c.min !== undefined ? `, minimum ${n(c.min)}` : ''}${c.max !== undefined ? `, counts up to ${n(c.max)}` : ''}`);
    for (const i of d.counted) lines.push(`  + ${itemLine(i, unit)}`);
    for (const i of d.rejected) lines.push(`  - ${itemLine(i, unit)}`);
  }
  if (result.unmatched.length > 0) {
    lines.push(`Not matched to any licensee (${result.unmatched.length}):`);
    for (const i of result.unmatched) lines.push(`  ? ${itemLine(i, unit)}`);
  }
  if (result.notCredentials.length > 0) lines.push(`Files that are not credentials (${result.notCredentials.length}): ${result.notCredentials.join(', ')}`);
  const t = result.totals;
  lines.push(`Audited ${result.licensees.length} licensee(s) on ${t.credentials} credential(s): ${t.compliant} compliant, ${t.nonCompliant} not compliant, ${t.undetermined} undetermined.`);
  return lines;
}

/** The CSV report's columns, in order: one row per credential, with the licensee's decision beside it. */
export const AUDIT_CSV_COLUMNS = [
  'licensee_id', 'licensee_name', 'decision', 'total', 'required', 'shortfall', 'status', 'counted', 'credits', 'category',
  'achievement', 'achievement_id', 'issuer', 'recipient', 'completed', 'valid_until', 'reason', 'credential_id', 'file',
] as const;

/** The audit as CSV text (csv-stringify quotes; {@link safeCell} guards against formula injection). */
export function auditCsv(result: AuditResult): string {
  const rows: string[][] = [];
  const row = (d: LicenseeDecision | undefined, i: AuditItem): void => {
    rows.push([
      d?.licensee.id, d?.licensee.name, d?.decision, d?.total, d?.required, d?.shortfall,
      i.rejection === undefined ? 'counted' : i.rejection, i.counted, i.credits, i.category,
      i.achievement, i.achievementId, i.issuer, i.recipient, i.completedAt, i.validUntil, i.reason, i.credentialId, i.file,
    ].map(safeCell));
  };
  for (const d of result.licensees) {
    for (const i of [...d.counted, ...d.rejected]) row(d, i);
    if (d.counted.length + d.rejected.length === 0) rows.push([d.licensee.id, d.licensee.name, d.decision, d.total, d.required, d.shortfall, 'no credentials'].map(safeCell));
  }
  for (const i of result.unmatched) row(undefined, i);
  return stringify(rows, { header: true, columns: [...AUDIT_CSV_COLUMNS] });
}

const escapeHtml = (value: string | number): string =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function itemRows(items: readonly AuditItem[], unit: string): string {
  return items
    .map((i) => `<tr class="${i.rejection === undefined ? 'counted' : 'rejected'}"><td>${escapeHtml(i.achievement ?? '')}</td><td>${escapeHtml(i.issuer ?? '')}</td><td>${escapeHtml(i.completedAt?.slice(0, 10) ?? '')}</td><td class="num">${i.rejection === undefined ? `${n(i.counted)}` : `<s>${n(i.credits)}</s>`} ${escapeHtml(unit)}</td><td>${escapeHtml(i.rejection === undefined ? 'Counted' : 'Not counted')}: ${escapeHtml(i.reason)}</td></tr>`)
    .join('\n');
}

/** A self-contained printable HTML report (no scripts, no outside resources): one section per licensee. */
export function auditHtml(result: AuditResult, policy: AuditPolicy, generatedAt: Date): string {
  const unit = policy.creditUnit;
  const sections = result.licensees.map((d) => `
<section class="licensee ${d.decision}">
  <h2>${escapeHtml(who(d))}: <span class="decision">${escapeHtml(DECISION_WORDS[d.decision])}</span></h2>
  <p>${n(d.total)} of ${n(d.required)} ${escapeHtml(unit)} counted${d.decision === 'compliant' ? '' : `; ${escapeHtml(shortfallWords(d, unit) || 'some credentials could not be checked')}`}.</p>
  ${d.categories.length > 0 ? `<ul>${d.categories.map((c) => `<li>${escapeHtml(c.name)}: ${n(c.credits)} ${escapeHtml(unit)}${c.min !== undefined ? `, minimum ${n(c.min)}` : ''}${c.max !== undefined ? `, counts up to ${n(c.max)}` : ''}</li>`).join('')}</ul>` : ''}
  <table><thead><tr><th scope="col">Achievement</th><th scope="col">Issuer</th><th scope="col">Completed</th><th scope="col">Credits</th><th scope="col">Outcome</th></tr></thead>
  <tbody>${itemRows([...d.counted, ...d.rejected], unit) || '<tr><td colspan="5">No credentials.</td></tr>'}</tbody></table>
</section>`).join('\n');
  const unmatched = result.unmatched.length === 0 ? '' : `<section><h2>Not matched to any licensee</h2><table><thead><tr><th scope="col">Achievement</th><th scope="col">Issuer</th><th scope="col">Completed</th><th scope="col">Credits</th><th scope="col">Outcome</th></tr></thead><tbody>${itemRows(result.unmatched, unit)}</tbody></table></section>`;
  const t = result.totals;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CPD audit: ${escapeHtml(policy.name ?? 'compliance report')}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#111}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}
.num{text-align:right;white-space:nowrap}.compliant .decision{color:#075e16}.non-compliant .decision{color:#9b1111}.undetermined .decision{color:#7a4d00}
tr.rejected td{color:#444}section{break-inside:avoid}@media print{body{margin:0}section{page-break-inside:avoid}}
</style></head><body>
<h1>CPD audit: ${escapeHtml(policy.name ?? 'compliance report')}</h1>
<p>Cycle ${escapeHtml(policy.cycle.start)} to ${escapeHtml(policy.cycle.end)}; ${n(policy.requiredCredits)} ${escapeHtml(unit)} required. ${result.licensees.length} licensee(s): ${t.compliant} compliant, ${t.nonCompliant} not compliant, ${t.undetermined} undetermined. Every credential was verified (signature, anchor, issuer, revocation) on ${escapeHtml(generatedAt.toISOString())}.</p>
${sections}
${unmatched}
${result.notCredentials.length > 0 ? `<p>Files that are not credentials: ${result.notCredentials.map(escapeHtml).join(', ')}</p>` : ''}
</body></html>
`;
}
