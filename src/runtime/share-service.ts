// Builds the share service from the configuration (logo checked, paper size, LinkedIn page id), for the server and the CLI.
import type { MicrocredConfig } from '../config';
import { loadLogo } from '../delivery';
import { createShareService, type ShareService } from '../issuer';
import type { ShareLinkStore } from '../store';

/** Options of {@link buildShareService}. */
export interface BuildShareServiceOptions {
  readonly config: Pick<MicrocredConfig, 'certificate' | 'linkedin'>;
  readonly store: ShareLinkStore;
  /** The issuer's public base URL; share links are `${baseUrl}/c/{shareId}`. */
  readonly baseUrl: () => string;
  readonly now?: () => Date;
}

/** The share service; a configured logo is read and checked here, so a bad one fails at start-up (ERR_CERTIFICATE_LOGO). */
export function buildShareService(options: BuildShareServiceOptions): ShareService {
  const { config } = options;
  const logo = config.certificate.logo === undefined ? undefined : loadLogo(config.certificate.logo);
  return createShareService({
    store: options.store,
    baseUrl: options.baseUrl,
    certificate: { paperSize: config.certificate.paperSize, ...(logo === undefined ? {} : { logo }) },
    ...(config.linkedin.organizationId === undefined ? {} : { linkedinOrganizationId: config.linkedin.organizationId }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}
