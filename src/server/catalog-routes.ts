// The module catalog's routes: define, edit, retire, list and import modules, upload and serve images, attach endorsements.
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { MicrocredError } from '../errors';
import type { ModuleCatalog } from '../issuer';
import { requireScope, type IssuerAppEnv } from './issuer-auth';
import { isCsv, parseWith, readUtf8 } from './issuer-request';
import { moduleQuerySchema } from './issuer-schemas';
import { jsonResponse } from './json-response';
import { ProblemError } from './problem';
import { readBody } from './request-body';

/** What the catalog routes need from the issuer app. */
export interface CatalogRouteDeps {
  readonly catalog: ModuleCatalog | undefined;
  readonly auth: MiddlewareHandler<IssuerAppEnv>;
  readonly small: MiddlewareHandler;
  readonly large: MiddlewareHandler;
  readonly actorOf: (c: Context<IssuerAppEnv>) => string;
}

const IMAGE_FILE = /^([0-9a-f]{64})\.(png|jpg|svg)$/;

/** An image never changes at its URL (named by its hash): cache it for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Adds the catalog routes (docs/api.md "Module catalog") to the issuer app. */
export function addCatalogRoutes(app: Hono<IssuerAppEnv>, deps: CatalogRouteDeps): void {
  const { auth, small, large, actorOf } = deps;
  const catalogOf = (): ModuleCatalog => {
    if (deps.catalog === undefined) throw new MicrocredError('ERR_NOT_FOUND', 'This issuer runs without a module catalog.');
    return deps.catalog;
  };
  const admin = requireScope('admin');
  const body = async (c: Parameters<typeof readBody>[0]): Promise<unknown> => (await readBody(c, { acceptText: false })).value;

  app.post('/v1/modules', auth, admin, small, async (c) => jsonResponse(catalogOf().add(await body(c), actorOf(c)), 201));
  app.get('/v1/modules', auth, (c) => {
    const q = parseWith(moduleQuerySchema, c.req.query(), 'query');
    return jsonResponse({ items: catalogOf().list({ includeRetired: q.includeRetired === 'true' }) });
  });
  app.post('/v1/modules/images', auth, admin, small, async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'application/json' || type.startsWith('text/')) throw new MicrocredError('ERR_IMAGE_INVALID', 'Send the image file itself as the body (Content-Type image/png, image/jpeg or image/svg+xml).');
    return jsonResponse(catalogOf().uploadImage(Buffer.from(await c.req.arrayBuffer())), 201);
  });
  app.post('/v1/modules/import', auth, admin, large, async (c) => {
    if (!isCsv(c)) throw new ProblemError('ERR_INVALID_REQUEST', 'Send the module CSV with Content-Type text/csv (columns in docs/catalog.md).');
    const outcome = catalogOf().importCsv(await readUtf8(c), actorOf(c));
    return jsonResponse(outcome, outcome.failed === 0 ? 200 : 207);
  });
  app.get('/v1/modules/:id', auth, (c) => {
    const q = parseWith(moduleQuerySchema, c.req.query(), 'query');
    return jsonResponse(catalogOf().show(c.req.param('id'), q.version));
  });
  app.patch('/v1/modules/:id', auth, admin, small, async (c) => jsonResponse(catalogOf().edit(c.req.param('id'), await body(c), actorOf(c))));
  app.post('/v1/modules/:id/retire', auth, admin, (c) => jsonResponse(catalogOf().retire(c.req.param('id'), actorOf(c))));
  app.post('/v1/modules/:id/endorsements', auth, admin, small, async (c) => jsonResponse(catalogOf().endorse(c.req.param('id'), await body(c), actorOf(c)), 201));

  // Public, like the status lists: a badge image is shown wherever the credential is.
  app.get('/modules/images/:file', (c) => {
    const match = IMAGE_FILE.exec(c.req.param('file'));
    const image = match === null ? null : catalogOf().image(match[1]!);
    if (image === null) throw new ProblemError('ERR_NOT_FOUND', 'No badge image is stored under this name.');
    return c.body(new Uint8Array(image.bytes), 200, {
      'Content-Type': image.contentType,
      'Cache-Control': IMMUTABLE,
      ETag: `"${image.sha256}"`,
      // An SVG opened on its own must not run script or load anything: it is shown, never executed.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Access-Control-Allow-Origin': '*',
    });
  });
}
