// The issuer API's OpenAPI 3.1 document, with component schemas generated from the zod schemas the handlers use.
import { z } from 'zod';
import * as s from './issuer-schemas';

type Json = Record<string, unknown>;

/**
 * The JSON Schema of a zod schema as an OpenAPI 3.1 (JSON Schema 2020-12) schema object. Schemas with a meta `id`
 * come out as `$defs`; they are moved into `defs` (the components) and their `$ref`s rewritten to point there.
 */
function schemaOf(schema: z.ZodType, defs?: Record<string, Json>): Json {
  const text = JSON.stringify(z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' })).replaceAll('"#/$defs/', '"#/components/schemas/');
  const json = JSON.parse(text) as Json & { $defs?: Record<string, Json> };
  delete json.$schema;
  if (json.$defs !== undefined && defs !== undefined) Object.assign(defs, json.$defs);
  delete json.$defs;
  return json;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (schema: Json): Json => ({ 'application/json': { schema } });
const problem = (description: string): Json => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

/** Query parameters from a zod object schema. */
function queryParameters(schema: z.ZodObject): Json[] {
  const json = schemaOf(schema) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, prop]) => ({
    name,
    in: 'query',
    required: (json.required ?? []).includes(name),
    schema: prop,
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
  }));
}

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'urn:uuid:… (URL-encoded) or the bare UUID' };
const keyParam = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'A retry with the same key and body returns the first answer' };
const authErrors = { '401': problem('ERR_UNAUTHENTICATED: missing, unknown or revoked token'), '403': problem('ERR_FORBIDDEN: the token lacks the scope') };

/** Wallet issuance (OID4VCI 1.0, pre-authorized code): the offer route and the public wallet endpoints. */
function oid4vciPaths(): Record<string, Json> {
  const oauthError = (codes: string): Json => ({ description: `{error, error_description}: ${codes}`, content: jsonContent({ type: 'object' }) });
  const object = (description: string): Json => ({ description, content: jsonContent({ type: 'object' }) });
  const walletToken = [{ walletAccessToken: [] }];
  return {
    '/v1/offers': {
      post: {
        summary: 'Create a single-use OID4VCI pre-authorized code offer for a completion record or an issued credential (link, QR code, optional PIN)',
        security: [{ bearer: ['issue'] }],
        requestBody: { required: true, content: jsonContent(ref('OfferRequest')) },
        responses: { '201': object('{offerId, credentialOfferUri, credentialOffer, txCode, expiresAt, configurationId, qrSvg}'), '400': problem('ERR_INVALID_REQUEST'), ...authErrors, '404': problem('ERR_CREDENTIAL_NOT_FOUND'), '409': problem('ERR_OFFER_REFUSED'), '422': problem('ERR_INVALID_RECORD') },
      },
    },
    '/.well-known/openid-credential-issuer': { get: { summary: 'OID4VCI credential issuer metadata (no token)', responses: { '200': object('Credential issuer metadata') } } },
    '/.well-known/oauth-authorization-server': { get: { summary: 'OAuth 2.0 authorization server metadata (RFC 8414; no token)', responses: { '200': object('Authorization server metadata') } } },
    '/oid4vci/token': {
      post: {
        summary: 'Token endpoint: pre-authorized code (and tx_code) for an access token and a c_nonce',
        requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } } },
        responses: { '200': object('{access_token, token_type, expires_in, c_nonce, c_nonce_expires_in}'), '400': oauthError('invalid_request, invalid_grant, unsupported_grant_type'), '429': problem('ERR_RATE_LIMITED') },
      },
    },
    '/oid4vci/nonce': { post: { summary: 'Nonce endpoint: a fresh c_nonce', responses: { '200': object('{c_nonce, c_nonce_expires_in}'), '429': problem('ERR_RATE_LIMITED') } } },
    '/oid4vci/credential': {
      post: {
        summary: 'Credential endpoint: one jwt proof of possession; the credential once anchored, else deferred',
        security: walletToken,
        requestBody: { required: true, content: jsonContent({ type: 'object' }) },
        responses: {
          '200': object('{credentials: [{credential}]}'),
          '202': object('{transaction_id, interval}: the batch is not anchored yet'),
          '400': oauthError('invalid_credential_request, unknown_credential_configuration, invalid_proof, invalid_nonce (with c_nonce), credential_request_denied'),
          '401': oauthError('invalid_token'),
          '429': problem('ERR_RATE_LIMITED'),
        },
      },
    },
    '/oid4vci/deferred-credential': {
      post: {
        summary: 'Deferred credential endpoint: the anchored credential for a transaction_id',
        security: walletToken,
        requestBody: { required: true, content: jsonContent({ type: 'object' }) },
        responses: { '200': object('{credentials: [{credential}]}'), '202': object('{transaction_id, interval}: not anchored yet'), '400': oauthError('invalid_request, invalid_transaction_id'), '401': oauthError('invalid_token'), '429': problem('ERR_RATE_LIMITED') },
      },
    },
  };
}

const moduleIdParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The module (achievement) id, URL-encoded' };
const moduleAnswer = (status: string, description: string): Json => ({ [status]: { description, content: jsonContent(ref('Module')) } });

/** The module catalog's routes (docs/catalog.md). */
function catalogPaths(): Record<string, Json> {
  const admin = [{ bearer: ['admin'] }];
  return {
    '/v1/modules': {
      post: {
        summary: 'Add a module to the catalog (version 1)',
        security: admin,
        requestBody: { required: true, content: jsonContent(ref('ModuleDefinition')) },
        responses: { ...moduleAnswer('201', 'Added'), ...authErrors, '409': problem('ERR_MODULE_EXISTS'), '422': problem('ERR_MODULE_INVALID (issues per field)') },
      },
      get: {
        summary: 'List the catalog (current versions)',
        security: [{ bearer: [] }],
        parameters: queryParameters(s.moduleQuerySchema.pick({ includeRetired: true })),
        responses: { '200': { description: 'Modules', content: jsonContent({ type: 'object', properties: { items: { type: 'array', items: ref('Module') } } }) }, ...authErrors },
      },
    },
    '/v1/modules/images': {
      post: {
        summary: 'Upload a badge image (PNG, JPEG or SVG, judged by its bytes; at most 512 KiB)',
        security: admin,
        requestBody: { required: true, content: { 'image/png': { schema: { type: 'string', format: 'binary' } }, 'image/jpeg': { schema: { type: 'string', format: 'binary' } }, 'image/svg+xml': { schema: { type: 'string', format: 'binary' } } } },
        responses: { '201': { description: 'Stored; use `ref` as a module image', content: jsonContent(ref('UploadedImage')) }, ...authErrors, '413': problem('ERR_IMAGE_TOO_LARGE, ERR_BODY_TOO_LARGE'), '415': problem('ERR_IMAGE_INVALID') },
      },
    },
    '/v1/modules/import': {
      post: {
        summary: 'Add or edit modules from a CSV (one per row; per-row results)',
        security: admin,
        requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string', description: 'Columns in docs/catalog.md' } } } },
        responses: { '200': { description: 'Every row imported', content: jsonContent(ref('ModuleImportAnswer')) }, '207': { description: 'Some rows failed', content: jsonContent(ref('ModuleImportAnswer')) }, '400': problem('ERR_CSV_INVALID'), ...authErrors },
      },
    },
    '/v1/modules/{id}': {
      get: {
        summary: 'One module at its current (or a given) version, with its version numbers',
        security: [{ bearer: [] }],
        parameters: [moduleIdParam, ...queryParameters(s.moduleQuerySchema.pick({ version: true }))],
        responses: { ...moduleAnswer('200', 'The module'), ...authErrors, '404': problem('ERR_MODULE_NOT_FOUND') },
      },
      patch: {
        summary: 'Edit a module: the fields given change (null removes an optional one); a new version when anything changed',
        security: admin,
        parameters: [moduleIdParam],
        requestBody: { required: true, content: jsonContent({ type: 'object' }) },
        responses: { ...moduleAnswer('200', 'The module at its new version'), ...authErrors, '404': problem('ERR_MODULE_NOT_FOUND'), '422': problem('ERR_MODULE_INVALID') },
      },
    },
    '/v1/modules/{id}/retire': {
      post: { summary: 'Retire a module: no new credentials for it', security: admin, parameters: [moduleIdParam], responses: { ...moduleAnswer('200', 'Retired'), ...authErrors, '404': problem('ERR_MODULE_NOT_FOUND') } },
    },
    '/v1/modules/{id}/endorsements': {
      post: {
        summary: "Attach an accrediting body's signed EndorsementCredential; credentials issued for the module carry it",
        security: admin,
        parameters: [moduleIdParam],
        requestBody: { required: true, content: jsonContent({ type: 'object', description: 'The signed EndorsementCredential (as `microcred endorse` writes it)' }) },
        responses: { ...moduleAnswer('201', 'Attached'), ...authErrors, '404': problem('ERR_MODULE_NOT_FOUND'), '422': problem('ERR_ENDORSEMENT_INVALID') },
      },
    },
    '/modules/images/{file}': {
      get: {
        summary: 'A badge image (no token): content-addressed, cached for a year',
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' }, description: '<sha256>.png|jpg|svg' }],
        responses: { '200': { description: 'The image', content: { 'image/png': {}, 'image/jpeg': {}, 'image/svg+xml': {} } }, '404': problem('ERR_NOT_FOUND') },
      },
    },
  };
}

/** Builds the document; `didWeb` and `anchorNow` add the routes the server only has in those setups. */
export function buildIssuerOpenApi(options: { didWeb?: boolean; anchorNow?: boolean; oid4vci?: boolean; share?: boolean } = {}): Json {
  // Every schema with a meta id lands in components through schemaOf's $defs; the top-level ones are listed here.
  const components: Record<string, Json> = {};
  for (const schema of [
    s.issueRequestSchema,
    s.batchRequestSchema,
    s.statusChangeRequestSchema,
    s.offerRequestSchema,
    s.vcApiIssueRequestSchema,
    s.issuedSchema,
    s.batchAnswerSchema,
    s.credentialViewSchema,
    s.credentialPageSchema,
    s.statusChangeAnswerSchema,
    s.batchPageSchema,
    s.healthSchema,
    s.vcApiIssueAnswerSchema,
    s.problemSchema,
    s.moduleDefinitionRequestSchema,
    s.moduleViewSchema,
    s.uploadedImageSchema,
    s.moduleImportAnswerSchema,
    s.shareInfoSchema,
    s.cohortCertificatesRequestSchema,
    s.cohortCertificatesAnswerSchema,
  ]) {
    schemaOf(schema, components);
  }
  const statusRoute = (action: string): Json => ({
    post: {
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} a credential (carried out on chain by the anchoring outbox)`,
      security: [{ bearer: ['status'] }],
      parameters: [idParam],
      requestBody: { required: true, content: jsonContent(ref('StatusChangeRequest')) },
      responses: { '202': { description: 'Recorded; the chain follows', content: jsonContent(ref('StatusChangeAnswer')) }, ...authErrors, '404': problem('ERR_CREDENTIAL_NOT_FOUND'), '409': problem('ERR_STATUS_TRANSITION') },
    },
  });
  const paths: Record<string, Json> = {
    '/v1/credentials': {
      post: {
        summary: 'Issue one credential from a completion record',
        security: [{ bearer: ['issue'] }],
        parameters: [...queryParameters(s.issueQuerySchema.pick({ format: true })), keyParam],
        requestBody: { required: true, content: jsonContent(ref('CompletionRecord')) },
        responses: {
          '201': { description: 'Issued (pending anchor)', content: jsonContent(ref('IssuedCredential')) },
          '400': problem('ERR_MALFORMED_JSON, ERR_INVALID_REQUEST'),
          ...authErrors,
          '413': problem('ERR_BODY_TOO_LARGE'),
          '422': problem('ERR_INVALID_RECORD (issues per field), ERR_IDEMPOTENCY_MISMATCH'),
        },
      },
      get: {
        summary: 'List credentials, newest first, each with its state (pending_anchor, anchored, revoked, suspended) and the learner\'s name',
        security: [{ bearer: [] }],
        parameters: queryParameters(s.listQuerySchema),
        responses: { '200': { description: 'One page', content: jsonContent(ref('CredentialPage')) }, '400': problem('ERR_INVALID_REQUEST, ERR_BAD_CURSOR'), ...authErrors },
      },
    },
    '/v1/credentials/batch': {
      post: {
        summary: 'Issue a batch: JSON array or text/csv; per-row results, each issued row with the learner\'s name and its state',
        security: [{ bearer: ['issue'] }],
        parameters: [...queryParameters(s.issueQuerySchema), keyParam],
        requestBody: { required: true, content: { ...jsonContent(ref('BatchRequest')), 'text/csv': { schema: { type: 'string', description: 'Header row + one row per credential; columns in docs/api.md' } } } },
        responses: {
          '200': { description: 'Every row issued', content: jsonContent(ref('BatchAnswer')) },
          '207': { description: 'Some rows failed; valid rows issued', content: jsonContent(ref('BatchAnswer')) },
          '400': problem('ERR_CSV_INVALID, ERR_BATCH_EMPTY, ERR_MALFORMED_JSON'),
          ...authErrors,
          '413': problem('ERR_BODY_TOO_LARGE, ERR_BATCH_TOO_LARGE'),
          '422': problem('ERR_BATCH_REJECTED (atomic=true; nothing issued; `rows` lists the bad rows)'),
        },
      },
    },
    '/v1/credentials/{id}': {
      get: {
        summary: 'One credential with its anchoring state and anchor proof',
        security: [{ bearer: [] }],
        parameters: [idParam],
        responses: { '200': { description: 'The credential', content: jsonContent(ref('CredentialView')) }, ...authErrors, '404': problem('ERR_CREDENTIAL_NOT_FOUND') },
      },
    },
    '/v1/credentials/{id}/revoke': statusRoute('revoke'),
    '/v1/credentials/{id}/suspend': statusRoute('suspend'),
    '/v1/credentials/{id}/reinstate': statusRoute('reinstate'),
    '/v1/batches': {
      get: {
        summary: 'Anchoring batches, newest first',
        security: [{ bearer: [] }],
        parameters: queryParameters(s.batchListQuerySchema),
        responses: { '200': { description: 'One page', content: jsonContent(ref('BatchPage')) }, ...authErrors },
      },
    },
    '/credentials/issue': {
      post: {
        summary: 'VC-API: sign a caller-supplied OpenBadgeCredential',
        security: [{ bearer: ['issue'] }],
        parameters: [keyParam],
        requestBody: { required: true, content: jsonContent(ref('VcApiIssueRequest')) },
        responses: { '201': { description: 'Issued', content: jsonContent(ref('VcApiIssueAnswer')) }, '400': problem('ERR_INVALID_REQUEST'), ...authErrors, '422': problem('ERR_INVALID_CREDENTIAL') },
      },
    },
    ...catalogPaths(),
    '/healthz': {
      get: {
        summary: 'Database and chain health (no token)',
        responses: { '200': { description: 'Up (status ok or degraded)', content: jsonContent(ref('Health')) }, '503': { description: 'Database down', content: jsonContent(ref('Health')) } },
      },
    },
    '/openapi.json': { get: { summary: 'This document (no token)', responses: { '200': { description: 'OpenAPI 3.1', content: jsonContent({ type: 'object' }) } } } },
  };
  if (options.anchorNow === true) {
    paths['/v1/batches/anchor'] = {
      post: { summary: 'Seal the open batch and anchor it now', security: [{ bearer: ['admin'] }], responses: { '202': { description: 'Outbox run summary', content: jsonContent({ type: 'object' }) }, ...authErrors } },
    };
  }
  if (options.oid4vci === true) Object.assign(paths, oid4vciPaths());
  if (options.share === true) {
    const shareAnswer = (description: string): Json => ({ description, content: jsonContent(ref('ShareInfo')) });
    paths['/v1/credentials/{id}/share'] = {
      get: { summary: 'The credential\'s share link (made on first use), its state and LinkedIn URL', security: [{ bearer: [] }], parameters: [idParam], responses: { '200': shareAnswer('The share link'), ...authErrors, '404': problem('ERR_CREDENTIAL_NOT_FOUND') } },
      post: { summary: 'Re-enable the share link (the same link as before)', security: [{ bearer: ['status'] }], parameters: [idParam], responses: { '200': shareAnswer('Enabled'), ...authErrors, '404': problem('ERR_CREDENTIAL_NOT_FOUND') } },
      delete: { summary: 'Disable the share link: /c/{shareId} answers 404 until re-enabled', security: [{ bearer: ['status'] }], parameters: [idParam], responses: { '200': shareAnswer('Disabled'), ...authErrors, '404': problem('ERR_CREDENTIAL_NOT_FOUND') } },
    };
    paths['/v1/credentials/{id}/certificate.pdf'] = {
      get: {
        summary: 'The PDF certificate of an anchored credential (QR code to its share link, credential attached)',
        security: [{ bearer: [] }],
        parameters: [idParam],
        responses: { '200': { description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...authErrors, '404': problem('ERR_CREDENTIAL_NOT_FOUND'), '409': problem('ERR_CREDENTIAL_NOT_ANCHORED'), '422': problem('ERR_CERTIFICATE_CREDENTIAL') },
      },
    };
    paths['/v1/certificates'] = {
      post: {
        summary: 'Cohort certificates: one PDF per credential, by credential ids or batch id',
        security: [{ bearer: [] }],
        requestBody: { required: true, content: jsonContent(ref('CohortCertificatesRequest')) },
        responses: { '200': { description: 'One item per credential, in order', content: jsonContent(ref('CohortCertificatesAnswer')) }, '400': problem('ERR_INVALID_REQUEST'), ...authErrors, '413': problem('ERR_BATCH_TOO_LARGE') },
      },
    };
  }
  if (options.didWeb === true) {
    paths['/.well-known/did.json'] = {
      get: { summary: 'The issuer DID document (did:web; no token)', responses: { '200': { description: 'DID document', content: { 'application/did+json': { schema: { type: 'object' } } } } } },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'microcred issuer API', version: '1.0.0', description: 'Issue Open Badges 3.0 credentials anchored in an EVM registry. See docs/api.md.' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (mct_…) with scopes issue, status, admin; create with `microcred token create`' },
        ...(options.oid4vci === true ? { walletAccessToken: { type: 'http', scheme: 'bearer', description: 'The access token of /oid4vci/token (one offer)' } } : {}),
      },
      schemas: components,
    },
    paths,
  };
}
