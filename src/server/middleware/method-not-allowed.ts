// 405 for a known path with the wrong method, as problem details with an Allow header.
import type { Hono, MiddlewareHandler } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { problemDetails, problemResponse } from '../problem';

/** Factory wrapping hono's methodNotAllowed so that the answer is ERR_METHOD_NOT_ALLOWED problem details. */
export function problemMethodNotAllowed(app: Hono): MiddlewareHandler {
  return methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) => {
      const allow = methods.join(', ');
      return problemResponse(
        problemDetails('ERR_METHOD_NOT_ALLOWED', `${c.req.path.slice(0, 200)} accepts ${allow}.`, { allow: methods }),
        { allow },
      );
    },
  });
}
