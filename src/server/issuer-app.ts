// The issuer HTTP API: bearer tokens with scopes, issue one or a batch, fetch and list, status changes, DID document.
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { secureHeaders } from 'hono/secure-headers';
import type { Anchorer } from '../anchoring';
import { MicrocredError } from '../errors';
import { DEFAULT_MAX_CSV_ROWS, type BatchSource } from '../issuer';
import type { IssuerService, ShareService } from '../issuer';
import type { BatchOutcome, CredentialView, IssuedCredential } from '../issuer';
import type { DidDocument } from '../did';
import { issuerDidDocument } from '../signing';
import type { IssuerAppStore } from '../store';
import { offerQrSvg, type Oid4vciService } from '../oid4vci';
import type { CredentialFormat, StatusAction } from '../store';
import { addCatalogRoutes } from './catalog-routes';
import { problemErrorHandler, problemNotFound } from './error-handler';
import { bearerAuth, requireScope, type IssuerAppEnv } from './issuer-auth';
import { isCsv, parseWith, readUtf8 } from './issuer-request';
import {
  batchListQuerySchema,
  batchRequestSchema,
  cohortCertificatesRequestSchema,
  issueQuerySchema,
  offerRequestSchema,
  listQuerySchema,
  statusChangeRequestSchema,
  vcApiIssueRequestSchema,
} from './issuer-schemas';
import { jsonResponse } from './json-response';
import { createOid4vciApp, type Oid4vciAppOptions } from './oid4vci-app';
import { bodyLimit } from './middleware/body-limit';
import { answerAfterCommit, idempotency } from './middleware/idempotency';
import { problemMethodNotAllowed } from './middleware/method-not-allowed';
import { buildIssuerOpenApi } from './openapi';
import { ProblemError } from './problem';
import { readBody } from './request-body';

/** Body cap of the single-credential routes. */
export const DEFAULT_ISSUER_BODY_LIMIT_BYTES = 1024 * 1024;
/** Body cap of the batch route: 10,000 CSV rows are about 5 MiB. */
export const DEFAULT_BATCH_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

/** What /healthz reports about the chain (injected; the runtime asks its RPC endpoint). */
export interface ChainHealth {
  ok: boolean;
  detail?: string;
}

/** Options of {@link createIssuerApp}. */
export interface IssuerAppOptions {
  service: IssuerService;
  store: IssuerAppStore;
  /** The DID document served at /.well-known/did.json; default: built from the service's keyring (did:web only). */
  issuerDidDocument?: () => Promise<DidDocument>;
  /** Enables POST /v1/batches/anchor (admin): seal and anchor the open batch now. */
  anchorer?: Pick<Anchorer, 'anchorNow'>;
  /** Enables the share-link routes, `share` in GET /v1/credentials/{id} and the certificate routes (docs/delivery.md). */
  share?: ShareService;
  /** Chain probe for /healthz; without it the chain is reported as `unknown`. */
  chainHealth?: () => Promise<ChainHealth>;
  bodyLimitBytes?: number;
  batchBodyLimitBytes?: number;
  /** Most rows per batch request (default 50,000). */
  maxBatchRows?: number;
  now?: () => Date;
  onUnexpected?: (error: unknown) => void;
  /** Enables wallet issuance (OID4VCI): POST /v1/offers and the public endpoints of createOid4vciApp. */
  oid4vci?: Oid4vciService;
  /** Rate limit of the public OID4VCI endpoints (default DEFAULT_OID4VCI_RATE_LIMIT). */
  oid4vciRateLimit?: Oid4vciAppOptions['rateLimit'];
}

const STATUS_ACTIONS: readonly StatusAction[] = ['revoke', 'suspend', 'reinstate'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `urn:uuid:…` from a path parameter (hono has already decoded it once) that may hold the bare UUID. */
function credentialIdOf(param: string): string {
  // Decoding a second time would turn "%25" into "%" and then throw URIError (a 500) on it.
  return UUID.test(param) ? `urn:uuid:${param.toLowerCase()}` : param;
}

function issuedBody(issued: IssuedCredential): Record<string, unknown> {
  return { id: issued.credentialId, format: issued.format, credential: issued.credential, leaf: issued.leaf, batchId: issued.batchId, anchorState: 'pending' };
}

/** An issued credential read back from the store (for a replay: the idempotency record holds only its id). */
function issuedFromStore(service: IssuerService, credentialId: string): IssuedCredential {
  const view = service.getCredentialWithAnchor(credentialId);
  return { credentialId: view.id, format: view.format, credential: view.credential, leaf: view.leaf, batchId: view.batchId };
}

/** The VC-API answer: the credential itself (di) or an enveloped JWT (jose). */
function vcApiBody(issued: IssuedCredential): Record<string, unknown> {
  return {
    verifiableCredential:
      typeof issued.credential === 'string'
        ? { '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${issued.credential}` }
        : issued.credential,
  };
}

/** What an idempotency record keeps of a single issue: the credential's id, nothing of the learner. */
interface IssueRecord {
  id: string;
}

/** What an idempotency record keeps of a batch: row outcomes without credentials, and whether to put them back. */
interface BatchRecord {
  outcome: BatchOutcome;
  includeCredentials: boolean;
}

/**
 * A replayed batch body: the stored row outcomes, with each learner's name (never kept in the record) and, when asked
 * for, each credential read back from the store.
 */
function replayBatch(service: IssuerService, record: BatchRecord): BatchOutcome {
  const rows = record.outcome.rows.map((r) => {
    if (r.status !== 'issued') return r;
    const view = service.getCredentialWithAnchor(r.credentialId);
    return { ...r, learnerName: view.learnerName, ...(record.includeCredentials ? { credential: view.credential } : {}) };
  });
  return { ...record.outcome, rows };
}

function summary(view: CredentialView): Record<string, unknown> {
  const { id, format, status, anchorState, state, learnerName, batchId, leaf, moduleId, issuedAt } = view;
  return { id, format, status, anchorState, state, learnerName, batchId, leaf, moduleId, issuedAt };
}

/** The batch answer's body: credentials are left out unless asked for (10,000 of them would be tens of MiB). */
function batchBody(outcome: BatchOutcome, includeCredentials: boolean): BatchOutcome {
  if (includeCredentials) return outcome;
  return { ...outcome, rows: outcome.rows.map((r) => (r.status === 'issued' ? (({ credential: _c, ...rest }) => rest)(r) : r)) as BatchOutcome['rows'] };
}

/** What an idempotency record keeps of a batch answer: no credentials and no learner names (the store has both). */
function batchRecordOf(outcome: BatchOutcome): BatchOutcome {
  return { ...outcome, rows: outcome.rows.map((r) => (r.status === 'issued' ? (({ credential: _c, learnerName: _n, ...rest }) => rest)(r) : r)) as BatchOutcome['rows'] };
}

/** Every credential id of an anchoring batch, in issue order (a batch holds at most the configured maxLeaves). */
function cohortOf(service: IssuerService, batchId: number): string[] {
  // The list is newest first; the cohort is answered in issue order.
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = service.listCredentials({ batchId, cursor, limit: 1000 });
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
  } while (cursor !== null && ids.length <= 1000);
  return ids.reverse();
}

function batchStatus(outcome: BatchOutcome): number {
  return outcome.failed === 0 ? 200 : 207;
}

/** The audit actor of a request: the API token that made it. */
function actorOf(c: Context<IssuerAppEnv>): string {
  return `token:${c.get('token').id}`;
}

/** The JSON batch body as a batch source (a bare array carries no options). */
function batchSourceOf(body: z.infer<typeof batchRequestSchema>): BatchSource {
  if (Array.isArray(body)) return { records: body };
  return { records: body.records, ...(body.format === undefined ? {} : { format: body.format }), ...(body.atomic === undefined ? {} : { atomic: body.atomic }) };
}

/** The `location` of a newly issued credential. */
function locationOf(body: Record<string, unknown>): Record<string, string> {
  return { location: `/v1/credentials/${encodeURIComponent(String(body.id))}` };
}

/**
 * Builds the issuer API (routes and answers in docs/api.md). Every route except /healthz, /openapi.json and
 * /.well-known/did.json needs a bearer token; every error is RFC 9457 problem details with a stable code.
 */
export function createIssuerApp(options: IssuerAppOptions): Hono<IssuerAppEnv> {
  const { service, store } = options;
  const app = new Hono<IssuerAppEnv>();
  const onUnexpected = options.onUnexpected;
  app.onError(problemErrorHandler({ ...(onUnexpected === undefined ? {} : { onUnexpected: (e: unknown) => onUnexpected(e) }) }));
  app.notFound(problemNotFound());
  const small = bodyLimit({ maxBytes: options.bodyLimitBytes ?? DEFAULT_ISSUER_BODY_LIMIT_BYTES });
  const large = bodyLimit({ maxBytes: options.batchBodyLimitBytes ?? DEFAULT_BATCH_BODY_LIMIT_BYTES });
  const maxRows = options.maxBatchRows ?? DEFAULT_MAX_CSV_ROWS;
  const auth = bearerAuth(store);
  const didDocument = options.issuerDidDocument ?? (service.issuer.did.startsWith('did:web:') ? () => issuerDidDocument(service.issuer) : undefined);
  const share = options.share;
  const openApi = buildIssuerOpenApi({ didWeb: didDocument !== undefined, anchorNow: options.anchorer !== undefined, oid4vci: options.oid4vci !== undefined, share: share !== undefined });

  app.use(secureHeaders());
  app.use(problemMethodNotAllowed(app as unknown as Hono));

  const replayIssue = (record: unknown): object => issuedBody(issuedFromStore(service, (record as IssueRecord).id));
  app.post('/v1/credentials', auth, requireScope('issue'), small, idempotency(store, { headers: locationOf, replay: replayIssue }), async (c) => {
    const query = parseWith(issueQuerySchema, c.req.query(), 'query');
    const body = await readBody(c, { acceptText: false });
    let record = body.value;
    let format: CredentialFormat = query.format ?? 'di';
    if (typeof record === 'object' && record !== null && !Array.isArray(record) && 'format' in record) {
      const { format: bodyFormat, ...rest } = record as Record<string, unknown>;
      format = parseWith(issueQuerySchema.shape.format, bodyFormat, 'format') ?? format;
      record = rest;
    }
    const prepared = await service.prepare(record, { format, actor: actorOf(c) });
    const answer: Record<string, unknown> = {};
    return answerAfterCommit(c, {
      status: 201,
      body: answer,
      commit: () => Object.assign(answer, issuedBody(service.commit(prepared))),
      record: (): IssueRecord => ({ id: String(answer.id) }),
    });
  });

  const batchReplay = { replay: (record: unknown): object => replayBatch(service, record as BatchRecord) };
  app.post('/v1/credentials/batch', auth, requireScope('issue'), large, idempotency(store, batchReplay), async (c) => {
    const query = parseWith(issueQuerySchema, c.req.query(), 'query');
    const source: BatchSource = isCsv(c) ? { csv: await readUtf8(c) } : batchSourceOf(parseWith(batchRequestSchema, (await readBody(c, { acceptText: false })).value, 'batch body'));
    const plan = service.planBatch({
      source,
      query: { ...(query.format === undefined ? {} : { format: query.format }), ...(query.atomic === undefined ? {} : { atomic: query.atomic === 'true' }) },
      maxRows,
      actor: actorOf(c),
    });
    const includeCredentials = query.includeCredentials === 'true';
    if (c.get('idempotencyKey') === undefined) {
      const outcome = await service.issueBatch(plan);
      return jsonResponse(batchBody(outcome, includeCredentials), batchStatus(outcome));
    }
    // With a key everything is signed first and stored in the transaction that records the answer.
    const prepared = await service.prepareBatch(plan);
    const answer: Partial<BatchOutcome> = {};
    let record: BatchRecord | undefined;
    const pending = {
      status: 200,
      body: answer,
      commit: () => {
        const result = service.commitMany(prepared);
        Object.assign(answer, batchBody(result, includeCredentials));
        pending.status = batchStatus(result);
        record = { outcome: batchRecordOf(result), includeCredentials };
      },
      record: (): object => record ?? {},
    };
    return answerAfterCommit(c, pending);
  });

  app.get('/v1/credentials', auth, (c) => {
    const q = parseWith(listQuerySchema, c.req.query(), 'query');
    const page = service.listCredentials({
      ...(q.module === undefined ? {} : { module: q.module }),
      ...(q.learner === undefined ? {} : { learner: q.learner }),
      ...(q.from === undefined ? {} : { from: new Date(q.from) }),
      ...(q.to === undefined ? {} : { to: new Date(q.to) }),
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.batch === undefined ? {} : { batchId: q.batch }),
      ...(q.limit === undefined ? {} : { limit: q.limit }),
      cursor: q.cursor ?? null,
    });
    return jsonResponse({ items: page.items.map(summary), nextCursor: page.nextCursor });
  });

  app.get('/v1/credentials/:id', auth, (c) => {
    const view = service.getCredentialWithAnchor(credentialIdOf(c.req.param('id')));
    return jsonResponse(share === undefined ? view : { ...view, share: share.info(view.id, actorOf(c)) });
  });

  if (share !== undefined) {
    app.get('/v1/credentials/:id/share', auth, (c) => jsonResponse(share.info(credentialIdOf(c.req.param('id')), actorOf(c))));
    app.post('/v1/credentials/:id/share', auth, requireScope('status'), (c) => jsonResponse(share.setEnabled(credentialIdOf(c.req.param('id')), true, actorOf(c))));
    app.delete('/v1/credentials/:id/share', auth, requireScope('status'), (c) => jsonResponse(share.setEnabled(credentialIdOf(c.req.param('id')), false, actorOf(c))));
    app.get('/v1/credentials/:id/certificate.pdf', auth, async (c) => {
      const file = await share.certificate(credentialIdOf(c.req.param('id')), actorOf(c));
      return new Response(file.bytes, { headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.fileName}"`, 'cache-control': 'no-store' } });
    });
    app.post('/v1/certificates', auth, small, async (c) => {
      const body = parseWith(cohortCertificatesRequestSchema, (await readBody(c, { acceptText: false })).value, 'certificates request');
      const ids = 'credentialIds' in body ? body.credentialIds.map(credentialIdOf) : cohortOf(service, body.batchId);
      const items = (await share.certificates(ids, actorOf(c))).map((item) =>
        item.status === 'ready' ? { credentialId: item.credentialId, status: item.status, fileName: item.file.fileName, pdf: Buffer.from(item.file.bytes).toString('base64') } : item,
      );
      return jsonResponse({ items });
    });
  }

  for (const action of STATUS_ACTIONS) {
    app.post(`/v1/credentials/:id/${action}`, auth, requireScope('status'), small, async (c) => {
      const body = parseWith(statusChangeRequestSchema, (await readBody(c, { acceptText: false })).value, 'status change');
      const change = service.requestStatusChange(credentialIdOf(c.req.param('id')), action, {
        reasonCode: body.reasonCode,
        reason: body.reason ?? null,
        actor: actorOf(c),
      });
      const status = action === 'revoke' ? 'revoked' : action === 'suspend' ? 'suspended' : 'active';
      return jsonResponse({ credentialId: change.credentialId, status, statusChange: change }, 202);
    });
  }

  app.get('/v1/batches', auth, (c) => {
    const q = parseWith(batchListQuerySchema, c.req.query(), 'query');
    return jsonResponse(store.listBatches({ ...(q.state === undefined ? {} : { state: q.state }), ...(q.limit === undefined ? {} : { limit: q.limit }), cursor: q.cursor ?? null }));
  });

  app.post('/v1/batches/anchor', auth, requireScope('admin'), async () => {
    if (options.anchorer === undefined) throw new MicrocredError('ERR_ANCHORER_UNAVAILABLE', 'This server runs without an anchoring worker; use `microcred anchor` where the chain is configured.');
    return jsonResponse(await options.anchorer.anchorNow(), 202);
  });

  const replayVcApi = (record: unknown): object => vcApiBody(issuedFromStore(service, (record as IssueRecord).id));
  app.post('/credentials/issue', auth, requireScope('issue'), small, idempotency(store, { replay: replayVcApi }), async (c) => {
    const body = parseWith(vcApiIssueRequestSchema, (await readBody(c, { acceptText: false })).value, 'VC-API issue request');
    const format = body.options?.format ?? 'di';
    const prepared = await service.prepareCallerCredential(body.credential, { format, actor: actorOf(c) });
    const answer: Record<string, unknown> = {};
    let id = '';
    return answerAfterCommit(c, {
      status: 201,
      body: answer,
      commit: () => {
        const issued = service.commit(prepared);
        id = issued.credentialId;
        Object.assign(answer, vcApiBody(issued));
      },
      record: (): IssueRecord => ({ id }),
    });
  });

  const oid4vci = options.oid4vci;
  if (oid4vci !== undefined) {
    app.post('/v1/offers', auth, requireScope('issue'), small, async (c) => {
      const body = parseWith(offerRequestSchema, (await readBody(c, { acceptText: false })).value, 'offer request');
      const options = {
        ...(body.pin === undefined ? {} : { pin: body.pin }),
        ...(body.expiresInSeconds === undefined ? {} : { expiresInSeconds: body.expiresInSeconds }),
        actor: actorOf(c),
      };
      const offer = body.credentialId === undefined ? await oid4vci.createOffer({ ...options, record: body.record }) : await oid4vci.createOfferForCredential({ ...options, credentialId: credentialIdOf(body.credentialId) });
      // The code and PIN are never stored in clear, so this answer is the only place they appear.
      return jsonResponse({ ...offer, qrSvg: await offerQrSvg(offer.credentialOfferUri) }, 201, { 'cache-control': 'no-store' });
    });
    app.route(
      '/',
      createOid4vciApp({
        service: oid4vci,
        ...(options.oid4vciRateLimit === undefined ? {} : { rateLimit: options.oid4vciRateLimit }),
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(onUnexpected === undefined ? {} : { onUnexpected: (e: unknown) => onUnexpected(e) }),
      }),
    );
  }
  addCatalogRoutes(app, { catalog: service.catalog, auth, small, large, actorOf });

  app.get('/healthz', async () => {
    const database = store.healthy() ? 'ok' : 'error';
    let chain: { status: 'ok' | 'error' | 'unknown'; detail?: string } = { status: 'unknown' };
    if (options.chainHealth !== undefined) {
      try {
        const probe = await options.chainHealth();
        chain = { status: probe.ok ? 'ok' : 'error', ...(probe.detail === undefined ? {} : { detail: probe.detail }) };
      } catch (error) {
        chain = { status: 'error', detail: error instanceof Error ? error.message.slice(0, 200) : 'chain probe failed' };
      }
    }
    // Issuance never waits on the chain, so a chain outage degrades the service; only a dead database stops it.
    const status = database === 'error' ? 'down' : chain.status === 'error' ? 'degraded' : 'ok';
    return jsonResponse({ status, database, chain }, database === 'ok' ? 200 : 503);
  });

  app.get('/openapi.json', () => jsonResponse(openApi));

  app.get('/.well-known/did.json', async () => {
    if (didDocument === undefined) throw new ProblemError('ERR_NOT_FOUND', 'This issuer uses did:key; its DID document is derived from the DID itself.');
    return jsonResponse(await didDocument(), 200, { 'content-type': 'application/did+json' });
  });

  return app;
}
