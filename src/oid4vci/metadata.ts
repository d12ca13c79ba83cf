// The metadata a wallet reads first: the credential issuer's (OID4VCI 1.0 §12.2) and its authorization server's.
import type { Oauth2AuthorizationServer} from '@openid4vc/oauth2';
import { getGlobalConfig, preAuthorizedCodeGrantIdentifier, setGlobalConfig, type AuthorizationServerMetadata } from '@openid4vc/oauth2';
import { MicrocredError } from '../errors';
import type { Openid4vciIssuer} from '@openid4vc/openid4vci';
import { Openid4vciVersion, type CredentialIssuerMetadata, type IssuerMetadataResult } from '@openid4vc/openid4vci';
import { CREDENTIAL_CONTEXTS } from '../credential';
import { BINDING_METHODS, PROOF_ALGORITHMS } from './proof-key';

/**
 * The one credential configuration microcred offers to wallets: an Open Badges 3.0 credential secured with Data
 * Integrity (eddsa-rdfc-2022), which carries its anchor proof in its own proof set. The VC-JOSE form is not offered:
 * its anchored form is microcred's JSON envelope, which no OID4VCI format identifier describes.
 */
export const OPEN_BADGE_CONFIGURATION_ID = 'OpenBadgeCredential_ldp_vc';

/** The endpoint paths under the issuer's public base URL. */
export const OID4VCI_PATHS = {
  issuerMetadata: '/.well-known/openid-credential-issuer',
  authorizationServerMetadata: '/.well-known/oauth-authorization-server',
  token: '/oid4vci/token',
  nonce: '/oid4vci/nonce',
  credential: '/oid4vci/credential',
  deferredCredential: '/oid4vci/deferred-credential',
} as const;

/** Seconds a wallet is asked to wait between deferred credential requests (a batch closes within minutes). */
export const DEFERRED_INTERVAL_SECONDS = 30;

/** The credential issuer metadata for the issuer at `baseUrl`, validated by the library. */
export function credentialIssuerMetadata(library: Openid4vciIssuer, baseUrl: string, issuerName: string): CredentialIssuerMetadata {
  return library.createCredentialIssuerMetadata({
    credential_issuer: baseUrl,
    credential_endpoint: `${baseUrl}${OID4VCI_PATHS.credential}`,
    nonce_endpoint: `${baseUrl}${OID4VCI_PATHS.nonce}`,
    deferred_credential_endpoint: `${baseUrl}${OID4VCI_PATHS.deferredCredential}`,
    display: [{ name: issuerName, locale: 'en' }],
    credential_configurations_supported: {
      [OPEN_BADGE_CONFIGURATION_ID]: {
        format: 'ldp_vc',
        cryptographic_binding_methods_supported: [...BINDING_METHODS],
        credential_signing_alg_values_supported: ['eddsa-rdfc-2022'],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...PROOF_ALGORITHMS] } },
        credential_definition: { '@context': [...CREDENTIAL_CONTEXTS], type: ['VerifiableCredential', 'OpenBadgeCredential'] },
        credential_metadata: { display: [{ name: 'Open Badge (micro-credential)', locale: 'en' }] },
      },
    },
  });
}

/** The authorization server metadata (RFC 8414): the issuer is its own authorization server, token endpoint only. */
export function authorizationServerMetadata(library: Oauth2AuthorizationServer, baseUrl: string): AuthorizationServerMetadata {
  return library.createAuthorizationServerMetadata({
    issuer: baseUrl,
    token_endpoint: `${baseUrl}${OID4VCI_PATHS.token}`,
    grant_types_supported: [preAuthorizedCodeGrantIdentifier],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
  });
}

/** Loopback hosts: a wallet on the same machine, as in the embedded development default. */
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

/**
 * OID4VCI requires https URLs. A loopback http URL (the embedded default, tests) is allowed by telling the library so
 * (its setting is process-wide); any other http URL is refused with what to set.
 */
export function assertIssuerUrl(baseUrl: string): void {
  if (baseUrl.startsWith('https://')) return;
  if (LOOPBACK.test(baseUrl)) {
    if (!getGlobalConfig().allowInsecureUrls) setGlobalConfig({ ...getGlobalConfig(), allowInsecureUrls: true });
    return;
  }
  throw new MicrocredError('ERR_CONFIG_INVALID', `Wallets only accept an https credential issuer, and the public base URL is ${baseUrl}; set MICROCRED_PUBLIC_URL (publicBaseUrl) to the issuer's https URL.`, {
    details: { publicBaseUrl: baseUrl },
  });
}

/** Both metadata documents in the shape the library's issuer functions take. */
export function issuerMetadataResult(issuer: Openid4vciIssuer, server: Oauth2AuthorizationServer, baseUrl: string, issuerName: string): IssuerMetadataResult {
  assertIssuerUrl(baseUrl);
  const credentialIssuer = credentialIssuerMetadata(issuer, baseUrl, issuerName);
  return {
    originalDraftVersion: Openid4vciVersion.V1,
    credentialIssuer,
    authorizationServers: [authorizationServerMetadata(server, baseUrl)],
    knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
  };
}
