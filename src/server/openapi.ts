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

/** Builds the document; `didWeb` and `anchorNow` add the routes the server only has in those setups. */
export function buildIssuerOpenApi(options: { didWeb?: boolean; anchorNow?: boolean; share?: boolean } = {}): Json {
  // Every schema with a meta id lands in components through schemaOf's $defs; the top-level ones are listed here.
  const components: Record<string, Json> = {};
  for (const schema of [
    s.issueRequestSchema,
    s.batchRequestSchema,
    s.statusChangeRequestSchema,
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
        summary: 'List credentials, newest first',
        security: [{ bearer: [] }],
        parameters: queryParameters(s.listQuerySchema),
        responses: { '200': { description: 'One page', content: jsonContent(ref('CredentialPage')) }, '400': problem('ERR_INVALID_REQUEST, ERR_BAD_CURSOR'), ...authErrors },
      },
    },
    '/v1/credentials/batch': {
      post: {
        summary: 'Issue a batch: JSON array or text/csv; per-row results',
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
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API token (mct_…) with scopes issue, status, admin; create with `microcred token create`' } },
      schemas: components,
    },
    paths,
  };
}
