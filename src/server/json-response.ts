// JSON answers that survive values JSON.stringify cannot write (a bigint block number from the chain, for example).
/** A JSON Response; bigints become decimal strings instead of throwing. */
export function jsonResponse(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const body = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return new Response(body, { status, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' } });
}
