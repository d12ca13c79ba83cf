// Share links: a credential's public link, what `/c/{shareId}` shows and serves, and its PDF, badge and LinkedIn link.
import { anchoredCredential } from '../anchoring';
import {
  bakePng,
  bakeSvg,
  certificateFacts,
  certificatePdf,
  defaultBadgePng,
  defaultBadgeSvg,
  linkedinAddUrl,
  type CertificateFacts,
  type CertificateLogo,
  type PaperSize,
} from '../delivery';
import { MicrocredError, isMicrocredError } from '../errors';
import type { CredentialRow, ShareLinkRow, ShareLinkStore } from '../store';

/** The files a share link serves, by the last segment of their URL. */
export const SHARE_FILES = {
  'credential.json': { type: 'application/json; charset=utf-8' },
  'badge.png': { type: 'image/png' },
  'badge.svg': { type: 'image/svg+xml' },
  'certificate.pdf': { type: 'application/pdf' },
} as const;

/** One of the files a share link serves. */
export type ShareFileName = keyof typeof SHARE_FILES;

/** Dependencies and settings of {@link createShareService}. */
export interface ShareServiceOptions {
  readonly store: ShareLinkStore;
  /** The issuer's public base URL (`publicBaseUrl`, else the local server's address once it listens). */
  readonly baseUrl: () => string;
  readonly certificate?: { readonly logo?: CertificateLogo; readonly paperSize?: PaperSize };
  /** The numeric id of the institution's LinkedIn page; without it LinkedIn gets the institution's name. */
  readonly linkedinOrganizationId?: string;
  readonly now?: () => Date;
}

/** A credential's share link as the API and the CLI report it. */
export interface ShareInfo {
  readonly credentialId: string;
  readonly shareId: string;
  readonly url: string;
  readonly enabled: boolean;
  /** True once the credential is anchored: before that the link says "not ready yet" and serves no file. */
  readonly ready: boolean;
  /** LinkedIn's "Add to profile" URL, with the share link as certification URL; null for a credential without an achievement name. */
  readonly linkedinUrl: string | null;
}

/** What an enabled share link opens: not ready yet (pending anchor), or the anchored credential. */
export type SharedCredential =
  | { readonly state: 'not-ready'; readonly credentialId: string }
  | {
      readonly state: 'ready';
      readonly credentialId: string;
      readonly url: string;
      /** Null for a generic credential (VC-API) without an Open Badges achievement: no PDF and no LinkedIn link then. */
      readonly facts: CertificateFacts | null;
      readonly linkedinUrl: string | null;
      readonly text: string;
    };

/** A file served by a share link. */
export interface SharedFile {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** A name a person can read: module and short id (no learner data in a URL-facing name). */
  readonly fileName: string;
}

/** The share service (see docs/delivery.md). */
export interface ShareService {
  /** The share URL of a credential (`${publicBaseUrl}/c/{shareId}`), making the link on first use; ERR_CREDENTIAL_NOT_FOUND. */
  shareUrlOf(credentialId: string, actor?: string): string;
  /** The credential's link with its state and LinkedIn URL, making it on first use. */
  info(credentialId: string, actor: string): ShareInfo;
  /** Disables (false) or re-enables (true) the link; the same link comes back when re-enabled. */
  setEnabled(credentialId: string, enabled: boolean, actor: string): ShareInfo;
  /** What `/c/{shareId}` shows; null for an unknown or disabled link (the caller answers both with the same 404). */
  open(shareId: string): SharedCredential | null;
  /** A file of an enabled, anchored link; null when unknown or disabled, `not-ready` before anchoring. */
  file(shareId: string, name: ShareFileName): Promise<SharedFile | 'not-ready' | null>;
  /** The PDF certificate of an anchored credential (QR code → its share link); ERR_CREDENTIAL_NOT_ANCHORED before that. */
  certificate(credentialId: string, actor: string): Promise<SharedFile>;
  /** Cohort certificates: one PDF file per credential (each verifiable alone), in the order asked; never throws per row. */
  certificates(credentialIds: readonly string[], actor: string): Promise<CohortCertificate[]>;
}

/** One row of a cohort certificate run. */
export type CohortCertificate =
  | { readonly credentialId: string; readonly status: 'ready'; readonly file: SharedFile }
  | { readonly credentialId: string; readonly status: 'not_anchored' | 'not_found' | 'not_a_badge' };

/** Most credentials in one cohort certificate call (each PDF is about 20 KB). */
export const MAX_COHORT_CERTIFICATES = 1000;

/** The anchored credential exactly as every channel hands it out: this text is the JSON download and the PDF attachment. */
export function anchoredText(row: Pick<CredentialRow, 'format' | 'document' | 'anchorProof'>): string | null {
  const anchored = anchoredCredential(row);
  return anchored === null ? null : JSON.stringify(anchored);
}

/** The printed facts, or null for a credential that is not an Open Badge (a generic VC-API credential has no achievement). */
function factsOf(text: string): CertificateFacts | null {
  try {
    return certificateFacts(text);
  } catch (error) {
    if (isMicrocredError(error, 'ERR_CERTIFICATE_CREDENTIAL')) return null;
    throw error;
  }
}

/** A short, readable file stem: the module and the first 8 characters of the credential's UUID. */
function fileStem(facts: CertificateFacts | null, credentialId: string): string {
  const module = (facts?.achievement ?? '').normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).toLowerCase();
  const short = credentialId.replace(/^urn:uuid:/, '').slice(0, 8);
  return `${module === '' ? 'credential' : module}-${short}`;
}

/** Builds the share service over the store. */
export function createShareService(options: ShareServiceOptions): ShareService {
  const { store } = options;
  const urlOf = (link: ShareLinkRow): string => `${options.baseUrl().replace(/\/+$/, '')}/c/${link.shareId}`;
  const linkedin = (facts: CertificateFacts | null, url: string): string | null =>
    facts === null ? null : linkedinAddUrl(facts, url, options.linkedinOrganizationId === undefined ? {} : { organizationId: options.linkedinOrganizationId });

  function credential(credentialId: string): CredentialRow {
    const row = store.getCredential(credentialId);
    if (row === null) throw new MicrocredError('ERR_CREDENTIAL_NOT_FOUND', `No credential ${credentialId} was issued here.`, { details: { credentialId } });
    return row;
  }

  function infoOf(link: ShareLinkRow): ShareInfo {
    const row = credential(link.credentialId);
    const url = urlOf(link);
    const ready = anchoredText(row) !== null;
    return { credentialId: link.credentialId, shareId: link.shareId, url, enabled: link.enabled, ready, linkedinUrl: linkedin(factsOf(row.document), url) };
  }

  function opened(shareId: string): { link: ShareLinkRow; row: CredentialRow; text: string | null } | null {
    const link = store.findShareLink(shareId);
    if (link === null || !link.enabled) return null;
    const row = store.getCredential(link.credentialId);
    if (row === null) return null;
    return { link, row, text: anchoredText(row) };
  }

  async function pdfOf(link: ShareLinkRow, text: string): Promise<SharedFile> {
    const bytes = await certificatePdf(text, {
      link: urlOf(link),
      ...(options.certificate?.logo === undefined ? {} : { logo: options.certificate.logo }),
      ...(options.certificate?.paperSize === undefined ? {} : { paperSize: options.certificate.paperSize }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    return { bytes, contentType: SHARE_FILES['certificate.pdf'].type, fileName: `${fileStem(factsOf(text), link.credentialId)}.pdf` };
  }

  async function certificate(credentialId: string, actor: string): Promise<SharedFile> {
    const row = credential(credentialId);
    const text = anchoredText(row);
    if (text === null) {
      throw new MicrocredError('ERR_CREDENTIAL_NOT_ANCHORED', `Credential ${credentialId} is not anchored yet; wait for its batch to be anchored (GET /v1/credentials/{id}, anchorState) and ask again.`, { details: { credentialId } });
    }
    return pdfOf(store.shareLinkOf(credentialId, actor), text);
  }

  return {
    certificate,
    async certificates(credentialIds, actor) {
      if (credentialIds.length > MAX_COHORT_CERTIFICATES) {
        throw new MicrocredError('ERR_BATCH_TOO_LARGE', `At most ${MAX_COHORT_CERTIFICATES} certificates per call; split the cohort.`, { details: { limit: MAX_COHORT_CERTIFICATES } });
      }
      const out: CohortCertificate[] = [];
      for (const credentialId of credentialIds) {
        const row = store.getCredential(credentialId);
        if (row === null) out.push({ credentialId, status: 'not_found' });
        else if (anchoredText(row) === null) out.push({ credentialId, status: 'not_anchored' });
        else if (factsOf(row.document) === null) out.push({ credentialId, status: 'not_a_badge' });
        else out.push({ credentialId, status: 'ready', file: await certificate(credentialId, actor) });
      }
      return out;
    },
    shareUrlOf: (credentialId, actor = 'system') => urlOf(store.shareLinkOf(credentialId, actor)),
    info: (credentialId, actor) => infoOf(store.shareLinkOf(credentialId, actor)),
    setEnabled: (credentialId, enabled, actor) => infoOf(store.setShareLinkEnabled(credentialId, enabled, actor)),
    open(shareId) {
      const found = opened(shareId);
      if (found === null) return null;
      if (found.text === null) return { state: 'not-ready', credentialId: found.row.id };
      const facts = factsOf(found.text);
      const url = urlOf(found.link);
      return { state: 'ready', credentialId: found.row.id, url, facts, linkedinUrl: linkedin(facts, url), text: found.text };
    },
    async file(shareId, name) {
      const found = opened(shareId);
      if (found === null) return null;
      if (found.text === null) return 'not-ready';
      const text = found.text;
      const facts = factsOf(text);
      const stem = fileStem(facts, found.row.id);
      const type = SHARE_FILES[name].type;
      switch (name) {
        case 'credential.json':
          return { bytes: Buffer.from(text, 'utf8'), contentType: type, fileName: `${stem}.json` };
        case 'badge.png':
          return { bytes: bakePng(defaultBadgePng(), text), contentType: type, fileName: `${stem}.png` };
        case 'badge.svg':
          return { bytes: Buffer.from(bakeSvg(defaultBadgeSvg(facts?.achievement ?? 'Verifiable credential'), text), 'utf8'), contentType: type, fileName: `${stem}.svg` };
        case 'certificate.pdf':
          // A certificate prints an achievement; a generic credential has none, so it has no PDF (the same 404).
          return facts === null ? null : pdfOf(found.link, text);
      }
    },
  };
}
