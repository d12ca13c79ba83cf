// The PDF certificate: one A4 or Letter page for one credential, a QR code, and the signed anchored credential attached as a file.
import { AFRelationship, PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { MicrocredError } from '../errors';
import { certificateFacts, type CertificateFacts } from './certificate-facts';
import { CERTIFICATE_ATTACHMENT_JSON, CERTIFICATE_ATTACHMENT_JWT } from './certificate-names';
import type { CertificateLogo } from './logo';

/** Page sizes in PDF points. */
export const PAPER_SIZES = { A4: [595.28, 841.89], Letter: [612, 792] } as const satisfies Record<string, readonly [number, number]>;

/** A paper size the certificate can be laid out on. */
export type PaperSize = keyof typeof PAPER_SIZES;

/** The A4 height the layout was drawn for: the upper block keeps its distance from the top edge on any paper. */
const A4_HEIGHT = PAPER_SIZES.A4[1];

/** Options of {@link certificatePdf}: give `link` (normally the credential's share link) or `verifierUrl`. */
export interface CertificateOptions {
  /** What the QR code opens: the credential's share link (`https://…/c/{shareId}`), which shows it already verified. */
  readonly link?: string;
  /**
   * Without a share link: the verification page's URL (for example `https://verify.example.edu/`); the QR code then
   * points there with the credential id, and the reader drops the PDF on that page.
   */
  readonly verifierUrl?: string;
  /** The institution's logo, drawn above its name (see loadLogo). */
  readonly logo?: CertificateLogo;
  /** A4 (default) or Letter. */
  readonly paperSize?: PaperSize;
  /** The clock, for the PDF's creation date. */
  readonly now?: () => Date;
}

/** The QR link without a share link: the verification page, with the credential id in the fragment (never sent to a server). */
export function certificateLink(verifierUrl: string, credentialId: string): string {
  let url: URL;
  try {
    url = new URL(verifierUrl);
  } catch (cause) {
    throw new MicrocredError('ERR_CERTIFICATE_OPTIONS', `verifierUrl "${verifierUrl.slice(0, 200)}" is not a URL; give the verification page's address.`, { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MicrocredError('ERR_CERTIFICATE_OPTIONS', 'verifierUrl must be an http(s) URL.');
  url.hash = `credential=${encodeURIComponent(credentialId)}`;
  return url.toString();
}

/** The QR code's target: the given link (checked to be http(s)), else the verification page link. */
function qrTarget(options: CertificateOptions, credentialId: string): { link: string; shared: boolean } {
  if ((options.link === undefined) === (options.verifierUrl === undefined)) {
    throw new MicrocredError('ERR_CERTIFICATE_OPTIONS', 'Give exactly one of link (the share link) or verifierUrl (the verification page).');
  }
  if (options.verifierUrl !== undefined) return { link: certificateLink(options.verifierUrl, credentialId), shared: false };
  let url: URL;
  try {
    url = new URL(options.link!);
  } catch (cause) {
    throw new MicrocredError('ERR_CERTIFICATE_OPTIONS', `link "${options.link!.slice(0, 200)}" is not a URL; give the credential's share link.`, { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MicrocredError('ERR_CERTIFICATE_OPTIONS', 'link must be an http(s) URL.');
  return { link: url.toString(), shared: true };
}

/** Latin letters with a stroke, which NFKD does not decompose into a base letter. */
const STROKED: Readonly<Record<string, string>> = { Ł: 'L', ł: 'l', Ø: 'O', ø: 'o', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i' };

// The standard PDF fonts cover Windows-1252 only: other letters lose their accents (NFKD) or stroke, or become "?",
// rather than the whole certificate failing. The attached credential keeps the exact name.
function printable(font: PDFFont, text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    for (const candidate of [ch, ch.normalize('NFKD').replace(/\p{M}/gu, ''), STROKED[ch] ?? '?', '?']) {
      try {
        font.encodeText(candidate);
        out += candidate;
        break;
      } catch {
        // try the next candidate
      }
    }
  }
  return out;
}

function formatDate(value: string | undefined): string | undefined {
  if (value === undefined || Number.isNaN(Date.parse(value))) return value;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(value));
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Where to draw: the page, its size, and how far the upper block moves down (A4 → Letter, room for a logo). */
interface Layout {
  page: PDFPage;
  width: number;
  height: number;
  /** Subtracted from A4 y values of the upper block. */
  drop: number;
}

function centred(at: Layout, font: PDFFont, text: string, y: number, size: number, color = rgb(0.1, 0.1, 0.15)): void {
  const shown = printable(font, text);
  const width = Math.min(font.widthOfTextAtSize(shown, size), at.width - 80);
  at.page.drawText(shown, { x: Math.max(40, (at.width - width) / 2), y, size, font, color, maxWidth: at.width - 80 });
}

/** The logo fitted into a 180 × 60 pt box, centred at the top of the page. */
async function drawLogo(at: Layout, pdf: PDFDocument, logo: CertificateLogo): Promise<void> {
  const image = logo.type === 'png' ? await pdf.embedPng(logo.bytes) : await pdf.embedJpg(logo.bytes);
  const scale = Math.min(180 / image.width, 60 / image.height, 1);
  const w = image.width * scale;
  const h = image.height * scale;
  at.page.drawImage(image, { x: (at.width - w) / 2, y: at.height - 40 - h, width: w, height: h });
}

async function drawPage(at: Layout, fonts: Fonts, facts: CertificateFacts, qr: { link: string; png: Uint8Array; shared: boolean }, pdf: PDFDocument): Promise<void> {
  const grey = rgb(0.35, 0.35, 0.4);
  const top = (y: number): number => y - at.drop;
  at.page.drawRectangle({ x: 24, y: 24, width: at.width - 48, height: at.height - 48, borderColor: rgb(0.2, 0.3, 0.5), borderWidth: 2 });
  centred(at, fonts.bold, facts.institution, top(740), 22);
  centred(at, fonts.regular, 'Certificate of completion', top(705), 14, grey);
  centred(at, fonts.regular, 'This certifies that', top(640), 12, grey);
  centred(at, fonts.bold, facts.learnerName ?? 'the holder of this credential', top(610), 24);
  centred(at, fonts.regular, 'has completed', top(575), 12, grey);
  centred(at, fonts.bold, facts.achievement, top(545), 18);
  let y = top(505);
  if (facts.credits !== undefined) {
    centred(at, fonts.regular, `${facts.credits} CPD credit${facts.credits === 1 ? '' : 's'}`, y, 13);
    y -= 28;
  }
  const from = formatDate(facts.validFrom);
  const until = formatDate(facts.validUntil);
  if (from !== undefined) centred(at, fonts.regular, `Completed ${from}${until === undefined ? '' : `, valid until ${until}`}`, y, 12);

  const image = await pdf.embedPng(qr.png);
  const size = 140;
  at.page.drawImage(image, { x: (at.width - size) / 2, y: 190, width: size, height: size });
  const hint = qr.shared ? 'Scan to see this credential verified, or drop this PDF on a verification page.' : 'Scan to open the verification page, then drop this PDF on it.';
  centred(at, fonts.regular, hint, 170, 10, grey);
  centred(at, fonts.regular, printable(fonts.regular, qr.link).slice(0, 110), 155, 8, grey);
  centred(at, fonts.regular, `Credential id: ${facts.credentialId}`, 110, 9, grey);
  centred(at, fonts.regular, `The signed credential is attached to this PDF as ${CERTIFICATE_ATTACHMENT_JSON}; it is what a verifier checks.`, 92, 8, grey);
}

/**
 * Makes a one-page PDF certificate (A4 or Letter): institution logo and name, learner's display name (when the
 * credential has one), achievement, credits, dates, a QR code (the share link, or see {@link certificateLink}) and the
 * credential id. The signed anchored
 * credential is attached as a file, so `microcred verify` and `POST /v1/verify` verify the PDF itself. Give the
 * anchored form: a Data Integrity credential or a VC-JOSE envelope. Throws ERR_CERTIFICATE_CREDENTIAL or
 * ERR_CERTIFICATE_OPTIONS.
 */
export async function certificatePdf(credential: Record<string, unknown> | string, options: CertificateOptions): Promise<Uint8Array> {
  const now = (options.now ?? (() => new Date()))();
  const facts = certificateFacts(credential);
  const target = qrTarget(options, facts.credentialId);
  const [width, height] = PAPER_SIZES[options.paperSize ?? 'A4'];
  const pdf = await PDFDocument.create();
  const fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  pdf.setTitle(printable(fonts.regular, `${facts.achievement}: certificate`));
  pdf.setAuthor(printable(fonts.regular, facts.institution));
  pdf.setProducer('microcred');
  pdf.setCreationDate(now);
  pdf.setModificationDate(now);
  const qrPng = await QRCode.toBuffer(target.link, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 6 });
  const at: Layout = { page: pdf.addPage([width, height]), width, height, drop: A4_HEIGHT - height + (options.logo === undefined ? 0 : 40) };
  if (options.logo !== undefined) await drawLogo(at, pdf, options.logo);
  await drawPage(at, fonts, facts, { link: target.link, png: qrPng, shared: target.shared }, pdf);
  const text = typeof credential === 'string' ? credential.trim() : JSON.stringify(credential);
  const isJson = text.startsWith('{');
  await pdf.attach(Buffer.from(text, 'utf8'), isJson ? CERTIFICATE_ATTACHMENT_JSON : CERTIFICATE_ATTACHMENT_JWT, {
    mimeType: isJson ? 'application/json' : 'application/vc+jwt',
    description: `Signed credential ${facts.credentialId}`,
    creationDate: now,
    modificationDate: now,
    afRelationship: AFRelationship.Source,
  });
  // Without object streams the attachment's name stays readable in the file, so a damaged certificate is still
  // recognised as one (and reported invalid) rather than as an unrelated PDF.
  return pdf.save({ useObjectStreams: false });
}
