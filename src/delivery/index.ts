// Delivery: baked Open Badges images (PNG, SVG) and PDF certificates, and reading the credential back out of them.
export { bakePng, unbakePng, isPng, PNG_SIGNATURE } from './png';
export { bakeSvg, unbakeSvg } from './svg';
export { unbake, extractEmbedded, containerOf, type Container, type Unbaked } from './unbake';
export { certificatePdf, certificateLink, type CertificateOptions } from './certificate-pdf';
export { CERTIFICATE_ATTACHMENT_JSON, CERTIFICATE_ATTACHMENT_JWT, isPdf } from './certificate-names';
export { certificateFacts, type CertificateFacts } from './certificate-facts';
export { credentialFromPdf, MAX_ATTACHMENT_BYTES } from './pdf-attachment';
export { OB3_PNG_KEYWORD, OB3_SVG_NAMESPACE, ANCHOR_PNG_KEYWORD, ANCHOR_SVG_NAMESPACE, toPayload, isAnchoredPayload, type BakePayload } from './payload';
export { PAPER_SIZES, type PaperSize } from './certificate-pdf';
export { checkLogo, loadLogo, MAX_LOGO_BYTES, type CertificateLogo } from './logo';
export { linkedinAddUrl, LINKEDIN_ADD_URL, type LinkedInOrganization } from './linkedin';
export { defaultBadgePng, defaultBadgeSvg } from './badge-image';
