// Bench data: a realistic cohort (Open Badges completion records and their CSV), and the issuer shared by every step.
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS } from '../src/issuer/csv';
import { SigningKey, createDidKeyIssuer, loadIssuer, serializeIssuer, type IssuerKeyring, type SerializedIssuer } from '../src/signing';

/** The issuer profile in every bench credential. */
export const BENCH_ISSUER_PROFILE = { name: 'Northbridge University Hospital CPD Academy', url: 'https://cpd.northbridge-hospital.example' };

/** A fixed clock for issuance, so runs build the same shape of credential (completion dates lie before it). */
export const BENCH_NOW = new Date('2026-03-02T10:00:00Z');

const MODULES = [
  { id: 'https://cpd.northbridge-hospital.example/modules/acls-2026', name: 'Advanced Cardiac Life Support (ACLS) Provider' },
  { id: 'https://cpd.northbridge-hospital.example/modules/sepsis-6', name: 'Recognising and Managing Sepsis: the Sepsis Six Bundle' },
  { id: 'https://cpd.northbridge-hospital.example/modules/safeguarding-l3', name: 'Safeguarding Adults and Children, Level 3' },
];

const DESCRIPTION =
  'Recognition and treatment of peri-arrest and cardiac arrest in adults: ABCDE assessment, high-quality CPR, ' +
  'rhythm recognition, defibrillation and post-resuscitation care.';
const CRITERIA =
  'Completed the e-learning (80% or more), attended both simulation days, led a megacode scenario to the ' +
  'national standard and passed the written assessment.';

/** The i-th completion record of the cohort: the shape an LMS export gives, with email, name, result and validity. */
export function cohortRecord(i: number): Record<string, unknown> {
  const module = MODULES[i % MODULES.length]!;
  const day = String(1 + (i % 27)).padStart(2, '0');
  return {
    learner: { email: `learner.${i}@northbridge-hospital.example`, name: `Learner Number ${i}` },
    module: {
      ...module,
      description: DESCRIPTION,
      criteria: CRITERIA,
      image: 'https://cpd.northbridge-hospital.example/badges/acls.png',
      credits: 16,
    },
    completedAt: `2026-02-${day}T16:30:00Z`,
    result: { status: 'Completed', value: `Pass (${80 + (i % 20)}%)` },
    validFor: 'P2Y',
  };
}

/** The cohort as a CSV file in the documented columns (what `microcred issue --csv` reads). */
export function cohortCsv(count: number): string {
  const columns = Object.keys(CSV_COLUMNS).filter((c) => c !== 'learner_did' && c !== 'expires_at');
  const rows = Array.from({ length: count }, (_, i) => {
    const r = cohortRecord(i) as { learner: Record<string, string>; module: Record<string, string | number>; completedAt: string; result: Record<string, string>; validFor: string };
    return [r.learner.email, r.learner.name, r.module.id, r.module.name, r.module.description, r.module.criteria, r.module.image, r.module.credits, r.completedAt, r.validFor, r.result.status, r.result.value];
  });
  const order = ['learner_email', 'learner_name', 'module_id', 'module_name', 'module_description', 'criteria', 'image', 'credits', 'completed_at', 'valid_for', 'result_status', 'result_value'];
  if (order.some((c) => !columns.includes(c))) throw new Error(`The bench CSV names a column the importer does not know: ${order.join(', ')}`);
  return stringify([order, ...rows]);
}

/** Makes a fresh did:key issuer and writes it (private key included: bench data only, in a temp folder) to `file`. */
export function createBenchIssuer(file: string): IssuerKeyring {
  const issuer = createDidKeyIssuer(SigningKey.generate('Ed25519'), BENCH_ISSUER_PROFILE);
  fs.writeFileSync(file, JSON.stringify(serializeIssuer(issuer)), { mode: 0o600 });
  return issuer;
}

/** Loads the issuer written by {@link createBenchIssuer}. */
export function loadBenchIssuer(file: string): IssuerKeyring {
  return loadIssuer(JSON.parse(fs.readFileSync(file, 'utf8')) as SerializedIssuer);
}
