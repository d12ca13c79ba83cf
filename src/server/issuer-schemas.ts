// zod schemas of the issuer API's requests and answers: handlers parse with them, openapi.ts publishes them.
import { z } from 'zod';
import { completionRecordSchema } from '../credential';
import { CREDENTIAL_STATES, type CredentialState } from '../issuer';
import { moduleDefinitionSchema } from '../issuer';

const format = z.enum(['di', 'jose']).describe('Securing form: di = Data Integrity eddsa-rdfc-2022 (default), jose = VC-JOSE compact JWS');
const issue = z.strictObject({ field: z.string(), message: z.string() });

/** Query of POST /v1/credentials and /v1/credentials/batch. */
export const issueQuerySchema = z.object({
  format: format.optional(),
  atomic: z.enum(['true', 'false']).optional().describe('batch only: all rows or none'),
  includeCredentials: z.enum(['true', 'false']).optional().describe('batch only: put each issued credential in its row result'),
});

/** Body of POST /v1/credentials: a completion record, optionally with `format` beside its fields. */
export const issueRequestSchema = completionRecordSchema.meta({ id: 'CompletionRecord', description: 'A completion record; `format` (di|jose) may be added beside the fields.' });

/** JSON body of POST /v1/credentials/batch: an array of records, or an object with records and options. */
export const batchRequestSchema = z
  .union([
    z.array(z.unknown()).describe('Completion records; row = 1-based position'),
    z.object({ records: z.array(z.unknown()), format: format.optional(), atomic: z.boolean().optional() }),
  ])
  .meta({ id: 'BatchRequest' });

/** Body of the status-change routes. */
export const statusChangeRequestSchema = z
  .strictObject({
    reasonCode: z
      .string()
      .regex(/^[a-z0-9_]{1,64}$/, 'must be a reason word such as superseded, misconduct or issued_in_error')
      .describe('issued_in_error, superseded, misconduct, expired, holder_request, key_compromise, under_review, resolved, unspecified'),
    reason: z.string().trim().max(1000).optional().describe('Free text for the audit log (stays off chain)'),
  })
  .meta({ id: 'StatusChangeRequest' });

/** Query of GET /v1/credentials. */
export const listQuerySchema = z.object({
  module: z.string().min(1).optional().describe('achievement (module) id'),
  learner: z.string().min(1).optional().describe('learner email, holder DID, salted hash (sha256$…) or learner id'),
  from: z.iso.datetime({ offset: true }).optional().describe('issued at or after'),
  to: z.iso.datetime({ offset: true }).optional().describe('issued before'),
  status: z.enum(['active', 'revoked', 'suspended']).optional(),
  batch: z.coerce.number().int().positive().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Query of GET /v1/batches. */
export const batchListQuerySchema = z.object({
  state: z.enum(['open', 'sealed', 'submitted', 'anchored', 'failed']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Body of VC-API POST /credentials/issue. */
export const vcApiIssueRequestSchema = z
  .object({
    credential: z.record(z.string(), z.unknown()).describe('Unsigned VC DM 2.0 (or 1.1) credential whose issuer is this service; an OpenBadgeCredential gets the Open Badges rules too'),
    options: z.object({ format: format.optional() }).optional(),
  })
  .meta({ id: 'VcApiIssueRequest' });

const status = z.enum(['active', 'revoked', 'suspended']);
const anchorState = z.enum(['pending', 'anchored', 'failed']);
const state = z
  .enum(CREDENTIAL_STATES as [CredentialState, ...CredentialState[]])
  .describe('pending_anchor (usable, verifiers say "pending anchor"; also while a failed batch waits for an operator), anchored (the final form can be exported), revoked, suspended');
const learnerName = z.string().nullable().describe("The learner's display name as written in the credential (else from the learners table); null when none or erased");
const securedCredential = z.union([z.record(z.string(), z.unknown()), z.string()]).describe('DI credential object, or compact JWS');

/** Answer of POST /v1/credentials. */
export const issuedSchema = z
  .object({ id: z.string(), format, credential: securedCredential, leaf: z.string(), batchId: z.number().int(), anchorState })
  .meta({ id: 'IssuedCredential' });

/** One row of a batch answer. */
export const batchRowSchema = z
  .union([
    z.object({
      row: z.number().int(),
      status: z.literal('issued'),
      credentialId: z.string(),
      leaf: z.string(),
      batchId: z.number().int(),
      learnerName,
      state: z.literal('pending_anchor'),
      credential: securedCredential.optional(),
    }),
    z.object({ row: z.number().int(), status: z.literal('invalid'), errors: z.array(issue) }),
    z.object({ row: z.number().int(), status: z.literal('failed'), code: z.string(), message: z.string() }),
    z.object({ row: z.number().int(), status: z.literal('not_issued'), reason: z.string() }),
  ])
  .meta({ id: 'BatchRowResult' });

/** Answer of POST /v1/credentials/batch (200 all issued, 207 some rows failed). */
export const batchAnswerSchema = z
  .object({ atomic: z.boolean(), issued: z.number().int(), failed: z.number().int(), rows: z.array(batchRowSchema) })
  .meta({ id: 'BatchAnswer' });

const statusChange = z
  .object({
    id: z.number().int(),
    credentialId: z.string(),
    action: z.enum(['revoke', 'suspend', 'reinstate']),
    reasonCode: z.string(),
    reasonText: z.string().nullable(),
    state: z.enum(['pending', 'submitted', 'done', 'failed']),
    txHash: z.string().nullable(),
    blockNumber: z.number().int().nullable(),
    createdAt: z.string(),
    doneAt: z.string().nullable(),
  })
  .meta({ id: 'StatusChange' });

/** A credential's share link (GET/POST/DELETE /v1/credentials/{id}/share, and `share` in GET /v1/credentials/{id}). */
export const shareInfoSchema = z
  .object({
    credentialId: z.string(),
    shareId: z.string().describe('128 random bits, base64url'),
    url: z.url().describe('The public share link: `${publicBaseUrl}/c/{shareId}`'),
    enabled: z.boolean(),
    ready: z.boolean().describe('The credential is anchored: before that the link says "not ready yet"'),
    linkedinUrl: z.url().nullable().describe('LinkedIn "Add to profile" URL: the share link is the certification URL; null for a credential without an Open Badges achievement'),
  })
  .meta({ id: 'ShareInfo' });

/** Answer of GET /v1/credentials/{id}. */
export const credentialViewSchema = z
  .object({
    id: z.string(),
    format,
    status,
    anchorState,
    state,
    learnerName,
    batchState: z.string(),
    batchId: z.number().int(),
    leaf: z.string(),
    moduleId: z.string(),
    issuedAt: z.string(),
    credential: securedCredential,
    anchored: z.record(z.string(), z.unknown()).nullable().describe('DI credential with the anchor proof in its proof set, or the VC-JOSE envelope'),
    anchorProof: z.record(z.string(), z.unknown()).nullable(),
    statusChanges: z.array(statusChange),
    share: shareInfoSchema.optional().describe('The share link (made on first use) and LinkedIn URL, when the server has share links'),
  })
  .meta({ id: 'CredentialView' });

/** One item of GET /v1/credentials. */
export const credentialSummarySchema = z
  .object({ id: z.string(), format, status, anchorState, state, learnerName, batchId: z.number().int(), leaf: z.string(), moduleId: z.string(), issuedAt: z.string() })
  .meta({ id: 'CredentialSummary' });

/** Answer of GET /v1/credentials. */
export const credentialPageSchema = z.object({ items: z.array(credentialSummarySchema), nextCursor: z.string().nullable() }).meta({ id: 'CredentialPage' });

/** Answer of the status-change routes (202). */
export const statusChangeAnswerSchema = z.object({ credentialId: z.string(), status, statusChange }).meta({ id: 'StatusChangeAnswer' });

/** One batch in GET /v1/batches. */
export const batchSchema = z
  .object({
    id: z.number().int(),
    state: z.enum(['open', 'sealed', 'submitted', 'anchored', 'failed']),
    root: z.string().nullable(),
    leafCount: z.number().int(),
    openedAt: z.string(),
    sealedAt: z.string().nullable(),
    txHash: z.string().nullable(),
    blockNumber: z.number().int().nullable(),
    anchoredAt: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'Batch' });

/** Answer of GET /v1/batches. */
export const batchPageSchema = z.object({ items: z.array(batchSchema), nextCursor: z.string().nullable() }).meta({ id: 'BatchPage' });

/** Answer of GET /healthz. */
export const healthSchema = z
  .object({ status: z.enum(['ok', 'degraded', 'down']), database: z.enum(['ok', 'error']), chain: z.object({ status: z.enum(['ok', 'error', 'unknown']), detail: z.string().optional() }) })
  .meta({ id: 'Health' });

/** Answer of VC-API POST /credentials/issue (201). */
export const vcApiIssueAnswerSchema = z.object({ verifiableCredential: z.record(z.string(), z.unknown()) }).meta({ id: 'VcApiIssueAnswer' });

/** RFC 9457 problem details with microcred's `code`. */
export const problemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string(), code: z.string() })
  .catchall(z.unknown())
  .meta({ id: 'Problem' });

/** Body of POST /v1/offers: a completion record, or an issued credential's id, to offer to a wallet (OID4VCI). */
export const offerRequestSchema = z
  .strictObject({
    record: z.unknown().optional().describe('A completion record (as for POST /v1/credentials); learner.did is replaced by the wallet’s DID'),
    credentialId: z.string().min(1).max(200).optional().describe('Or an issued, active credential (urn:uuid:… or the bare UUID): the wallet gets a new credential with its content, bound to the wallet’s DID'),
    pin: z.boolean().optional().describe('Ask the wallet for a 6-digit PIN (tx_code), returned once in the answer for a second channel'),
    expiresInSeconds: z.number().int().min(60).max(30 * 24 * 3600).optional().describe('Lifetime of the offer (default 7 days)'),
  })
  .refine((body) => (body.record === undefined) !== (body.credentialId === undefined), 'give either record or credentialId')
  .meta({ id: 'OfferRequest' });
/** Body of POST /v1/modules: a module definition (docs/catalog.md). */
export const moduleDefinitionRequestSchema = moduleDefinitionSchema.meta({ id: 'ModuleDefinition', description: 'A catalog module; `image` is sha256:<hex> of an uploaded image, or a URL.' });

/** Query of GET /v1/modules and GET /v1/modules/{id}. */
export const moduleQuerySchema = z.object({
  includeRetired: z.enum(['true', 'false']).optional().describe('list: include retired modules'),
  version: z.coerce.number().int().positive().optional().describe('show: this version instead of the current one'),
});

/** A module as the catalog answers it. */
export const moduleViewSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    retired: z.boolean(),
    retiredAt: z.string().nullable(),
    createdAt: z.string(),
    definition: z.record(z.string(), z.unknown()),
    imageUrl: z.string().optional(),
    endorsements: z.array(z.object({ id: z.string(), endorser: z.string(), attachedAt: z.string() })),
    versions: z.array(z.number().int()).optional(),
  })
  .meta({ id: 'Module' });

/** Answer of POST /v1/modules/images. */
export const uploadedImageSchema = z.object({ ref: z.string(), sha256: z.string(), contentType: z.string(), url: z.string() }).meta({ id: 'UploadedImage' });

/** Answer of POST /v1/modules/import. */
export const moduleImportAnswerSchema = z
  .object({ imported: z.number().int(), failed: z.number().int(), rows: z.array(z.record(z.string(), z.unknown())) })
  .meta({ id: 'ModuleImportAnswer' });

/** Body of POST /v1/certificates: a cohort by credential ids or by batch. */
export const cohortCertificatesRequestSchema = z
  .union([
    z.object({ credentialIds: z.array(z.string().min(1).max(200)).min(1).max(1000) }).strict(),
    z.object({ batchId: z.number().int().positive() }).strict(),
  ])
  .meta({ id: 'CohortCertificatesRequest' });

/** Answer of POST /v1/certificates: one PDF file per credential, base64, in the order asked. */
export const cohortCertificatesAnswerSchema = z
  .object({
    items: z.array(
      z.union([
        z.object({ credentialId: z.string(), status: z.literal('ready'), fileName: z.string(), pdf: z.string().describe('The PDF file, base64') }),
        z.object({ credentialId: z.string(), status: z.enum(['not_anchored', 'not_found', 'not_a_badge']) }),
      ]),
    ),
  })
  .meta({ id: 'CohortCertificatesAnswer' });
