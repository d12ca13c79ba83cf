// Secures a credential as VC-JOSE: a compact JWS whose payload is the credential itself (typ vc+jwt).
import { CompactSign } from 'jose';
import { MicrocredError } from '../errors';
import type { SigningKey } from './keys';

/** The `typ` header of a VC-JOSE credential. */
export const VC_JWT_TYP = 'vc+jwt';

/** Signs `credential` (without any `proof`) as a compact JWS: header {alg: EdDSA | ES256, typ: vc+jwt, kid: key id}. */
export async function signJose(credential: Record<string, unknown>, options: { signingKey: SigningKey }): Promise<string> {
  const { signingKey } = options;
  if (signingKey.id === undefined) {
    throw new MicrocredError('ERR_KEY_UNBOUND', 'The key is not bound to a DID yet; call bind(did) or build an issuer first.');
  }
  if ('proof' in credential) {
    throw new MicrocredError('ERR_JOSE_HAS_PROOF', 'A VC-JOSE payload is the unsecured credential; remove its "proof" before signing.');
  }
  const payload = new TextEncoder().encode(JSON.stringify(credential));
  return new CompactSign(payload)
    .setProtectedHeader({ alg: signingKey.jwsAlgorithm, typ: VC_JWT_TYP, kid: signingKey.id })
    .sign(signingKey.privateKeyObject());
}
