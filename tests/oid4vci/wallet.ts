// A wallet simulated with the OpenWallet Foundation's OID4VCI client: resolve an offer, redeem it, prove a key, fetch.
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, type CryptoKey, type JWK, type KeyObject } from 'jose';
import { clientAuthenticationAnonymous, HashAlgorithm, setGlobalConfig, type JwtSigner } from '@openid4vc/oauth2';
import { Openid4vciClient, type CredentialOfferObject, type IssuerMetadataResult } from '@openid4vc/openid4vci';

// The test server speaks http on 127.0.0.1; the library refuses plain http unless told otherwise.
setGlobalConfig({ allowInsecureUrls: true });

const HASHES: Record<HashAlgorithm, string> = { [HashAlgorithm.Sha256]: 'sha256', [HashAlgorithm.Sha384]: 'sha384', [HashAlgorithm.Sha512]: 'sha512' };

/** The wallet's key as the proof signer sees it: how it is named in the header, and what signs. */
export interface WalletKey {
  /** `{method: 'did', didUrl, alg}` or `{method: 'jwk', publicJwk, alg}`. */
  readonly signer: JwtSigner;
  readonly privateKey: KeyObject | CryptoKey;
  readonly publicJwk: JWK;
}

/** The library's client with callbacks that sign with whichever key the signer names (keys looked up by kid or jwk). */
export function walletClient(keys: readonly WalletKey[]): Openid4vciClient {
  const keyOf = (signer: JwtSigner): WalletKey => {
    const found = keys.find((k) => JSON.stringify(k.signer) === JSON.stringify(signer));
    if (found === undefined) throw new Error('the wallet holds no such key');
    return found;
  };
  return new Openid4vciClient({
    callbacks: {
      fetch,
      generateRandom: (length) => randomBytes(length),
      hash: (data, alg) => createHash(HASHES[alg]).update(data).digest(),
      signJwt: async (signer, jwt) => {
        const key = keyOf(signer);
        const compact = await new SignJWT(jwt.payload).setProtectedHeader(jwt.header).sign(key.privateKey);
        return { jwt: compact, signerJwk: key.publicJwk as never };
      },
      clientAuthentication: clientAuthenticationAnonymous(),
    },
  });
}

/** An offer resolved and redeemed: what a wallet holds between the token and the credential request. */
export interface Redeemed {
  readonly offer: CredentialOfferObject;
  readonly metadata: IssuerMetadataResult;
  readonly accessToken: string;
  readonly configurationId: string;
}

/** Resolves the offer link, reads the issuer's metadata and redeems the pre-authorized code (with the PIN, if given). */
export async function redeem(client: Openid4vciClient, offerUri: string, txCode?: string): Promise<Redeemed> {
  const offer = await client.resolveCredentialOffer(offerUri);
  const metadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer: offer, issuerMetadata: metadata, ...(txCode === undefined ? {} : { txCode }) });
  return { offer, metadata, accessToken: accessTokenResponse.access_token, configurationId: offer.credential_configuration_ids[0] as string };
}

/** A proof of possession for `nonce` signed by `key`. */
export async function proofOf(client: Openid4vciClient, redeemed: Redeemed, key: WalletKey, nonce: string): Promise<string> {
  const { jwt } = await client.createCredentialRequestJwtProof({ issuerMetadata: redeemed.metadata, signer: key.signer, nonce, credentialConfigurationId: redeemed.configurationId });
  return jwt;
}

/** A fresh c_nonce from the nonce endpoint. */
export async function freshNonce(client: Openid4vciClient, redeemed: Redeemed): Promise<string> {
  return (await client.requestNonce({ issuerMetadata: redeemed.metadata })).c_nonce;
}

/** The credential request with one jwt proof; resolves with the HTTP status and body, whatever they are. */
export async function askCredential(client: Openid4vciClient, redeemed: Redeemed, jwt: string): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const result = await client.retrieveCredentials({ issuerMetadata: redeemed.metadata, accessToken: redeemed.accessToken, credentialConfigurationId: redeemed.configurationId, proof: { proof_type: 'jwt', jwt } });
    return { status: result.response.status, body: result.credentialResponse };
  } catch (error) {
    const failed = error as { response?: { response?: Response }; responseText?: string };
    const response = failed.response?.response;
    if (response === undefined) throw error;
    return { status: response.status, body: JSON.parse(await response.clone().text()) as Record<string, unknown> };
  }
}

/** The deferred credential request; resolves with the HTTP status and body. */
export async function askDeferred(client: Openid4vciClient, redeemed: Redeemed, transactionId: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const result = await client.retrieveDeferredCredentials({ issuerMetadata: redeemed.metadata, accessToken: redeemed.accessToken, transactionId });
  return { status: result.response.status, body: result.deferredCredentialResponse };
}

/** The `error` of a token request the client refused to complete (the library throws the server's error response). */
export async function tokenRefusal(attempt: Promise<unknown>): Promise<string | undefined> {
  try {
    await attempt;
    return undefined;
  } catch (error) {
    return (error as { errorResponse?: { error?: string } }).errorResponse?.error;
  }
}

/** A proof made by hand, as a wallet the library would not let misbehave might send it (any alg and key). */
export async function handMadeProof(key: WalletKey, audience: string, nonce: string): Promise<string> {
  const header = { typ: 'openid4vci-proof+jwt', alg: key.signer.alg, ...(key.signer.method === 'jwk' ? { jwk: key.publicJwk } : { kid: (key.signer as { didUrl: string }).didUrl }) };
  return new SignJWT({ nonce }).setProtectedHeader(header).setAudience(audience).setIssuedAt().sign(key.privateKey);
}

/** The one credential of a credential or deferred credential answer. */
export function credentialOf(body: Record<string, unknown>): { id: string; credentialSubject: { id: string } } & Record<string, unknown> {
  return (body.credentials as Array<{ credential: { id: string; credentialSubject: { id: string } } & Record<string, unknown> }>)[0]!.credential;
}
