// Bearer API tokens for the issuer API: 401 without a live token (with WWW-Authenticate), 403 without the scope.
import type { MiddlewareHandler } from 'hono';
import { tokenHasScope } from '../store';
import type { ApiTokenRow, TokenScope, TokenStore } from '../store';
import type { IdempotencyVariables } from './middleware/idempotency';
import { customProblem, problemResponse } from './problem';

/** The hono variables the issuer app sets: the caller's token record. */
export interface IssuerAppEnv {
  Variables: { token: ApiTokenRow } & IdempotencyVariables;
}

const REALM = 'microcred-issuer';

/** Factory: reads `Authorization: Bearer <token>`, checks it against the store and sets `token`; else 401 ERR_UNAUTHENTICATED. */
export function bearerAuth(store: Pick<TokenStore, 'verifyToken'>): MiddlewareHandler<IssuerAppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    const token = match === null ? null : store.verifyToken(match[1] as string);
    if (token === null) {
      const missing = header === undefined;
      return problemResponse(
        customProblem({
          code: 'ERR_UNAUTHENTICATED',
          status: 401,
          title: 'Unauthorized',
          detail: missing ? 'Send an API token as `Authorization: Bearer mct_…` (create one with `microcred token create`).' : 'The API token is unknown, malformed or revoked; create a new one with `microcred token create`.',
        }),
        { 'www-authenticate': missing ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="invalid_token"` },
      );
    }
    c.set('token', token);
    await next();
  };
}

/** Factory: 403 ERR_FORBIDDEN unless the caller's token has `scope` (admin has every scope). */
export function requireScope(scope: TokenScope): MiddlewareHandler<IssuerAppEnv> {
  return async (c, next) => {
    const token = c.get('token');
    if (!tokenHasScope(token, scope)) {
      return problemResponse(
        customProblem({
          code: 'ERR_FORBIDDEN',
          status: 403,
          title: 'Forbidden',
          detail: `This API token lacks the "${scope}" scope; create one with \`microcred token create --scope ${scope}\`.`,
          extensions: { requiredScope: scope, tokenScopes: token.scopes },
        }),
        { 'www-authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"` },
      );
    }
    await next();
  };
}
