// Secures a credential with COSE as VC-JOSE-COSE § 3.3 writes it: a COSE_Sign1 whose payload is the credential (typ application/vc+cose).
import { coseSign1 } from '../libraries';
import { MicrocredError } from '../errors';
import type { SigningKey } from './keys';

/** The `typ` (and envelope media type) of a COSE-secured credential. */
export const VC_COSE_TYP = 'application/vc+cose';
/** The content type of the COSE payload: the credential as JSON. */
export const VC_COSE_CTY = 'application/vc';

/** Signs `credential` (without any `proof`) as a tagged COSE_Sign1: protected {alg: EdDSA | ES256, typ, cty, kid: key id}. */
export async function signCose(credential: Record<string, unknown>, options: { signingKey: SigningKey }): Promise<Uint8Array> {
  const { signingKey } = options;
  if (signingKey.id === undefined) {
    throw new MicrocredError('ERR_KEY_UNBOUND', 'The key is not bound to a DID yet; call bind(did) or build an issuer first.');
  }
  if ('proof' in credential) {
    throw new MicrocredError('ERR_JOSE_HAS_PROOF', 'A VC-COSE payload is the unsecured credential; remove its "proof" before signing.');
  }
  const payload = new TextEncoder().encode(JSON.stringify(credential));
  return coseSign1({ alg: signingKey.jwsAlgorithm, typ: VC_COSE_TYP, cty: VC_COSE_CTY, kid: signingKey.id }, payload, signingKey.privateKeyObject());
}

/** The VC-JOSE-COSE envelope of a COSE-secured credential: `data:application/vc+cose;base64,…`. */
export function coseEnvelope(cose: Uint8Array): { '@context': string; id: string; type: 'EnvelopedVerifiableCredential' } {
  return { '@context': 'https://www.w3.org/ns/credentials/v2', id: `data:${VC_COSE_TYP};base64,${Buffer.from(cose).toString('base64')}`, type: 'EnvelopedVerifiableCredential' };
}
