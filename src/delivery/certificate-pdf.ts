// The PDF certificate: one A4 page for one credential, a QR code, and the signed anchored credential attached as a file.
import { AFRelationship, PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { MicrocredError } from '../errors';
import { certificateFacts, type CertificateFacts } from './certificate-facts';
import { CERTIFICATE_ATTACHMENT_JSON, CERTIFICATE_ATTACHMENT_JWT } from './certificate-names';

/** A4 in PDF points. */
const A4: [number, number] = [595.28, 841.89];

/** Options of {@link certificatePdf}. */
export interface CertificateOptions {
  /**
   * The verification page's URL (for example `https://verify.example.edu/`). The QR code points there with the
   * credential id; share links (not built yet) will replace it with a short link that opens the credential itself.
   */
  readonly verifierUrl: string;
  /** The clock, for the PDF's creation date. */
  readonly now?: () => Date;
}

/** The link the QR code encodes: the verification page, with the credential id in the fragment (never sent to a server). */
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

function centred(page: PDFPage, font: PDFFont, text: string, y: number, size: number, color = rgb(0.1, 0.1, 0.15)): void {
  const shown = printable(font, text);
  const width = Math.min(font.widthOfTextAtSize(shown, size), A4[0] - 80);
  page.drawText(shown, { x: Math.max(40, (A4[0] - width) / 2), y, size, font, color, maxWidth: A4[0] - 80 });
}

async function drawPage(page: PDFPage, fonts: Fonts, facts: CertificateFacts, link: string, qrPng: Uint8Array, pdf: PDFDocument): Promise<void> {
  const grey = rgb(0.35, 0.35, 0.4);
  page.drawRectangle({ x: 24, y: 24, width: A4[0] - 48, height: A4[1] - 48, borderColor: rgb(0.2, 0.3, 0.5), borderWidth: 2 });
  centred(page, fonts.bold, facts.institution, 740, 22);
  centred(page, fonts.regular, 'Certificate of completion', 705, 14, grey);
  centred(page, fonts.regular, 'This certifies that', 640, 12, grey);
  centred(page, fonts.bold, facts.learnerName ?? 'the holder of this credential', 610, 24);
  centred(page, fonts.regular, 'has completed', 575, 12, grey);
  centred(page, fonts.bold, facts.achievement, 545, 18);
  let y = 505;
  if (facts.credits !== undefined) {
    centred(page, fonts.regular, `${facts.credits} CPD credit${facts.credits === 1 ? '' : 's'}`, y, 13);
    y -= 28;
  }
  const from = formatDate(facts.validFrom);
  const until = formatDate(facts.validUntil);
  if (from !== undefined) centred(page, fonts.regular, `Completed ${from}${until === undefined ? '' : `, valid until ${until}`}`, y, 12);

  const qr = await pdf.embedPng(qrPng);
  const size = 140;
  page.drawImage(qr, { x: (A4[0] - size) / 2, y: 190, width: size, height: size });
  centred(page, fonts.regular, 'Scan to open the verification page, then drop this PDF on it.', 170, 10, grey);
  centred(page, fonts.regular, printable(fonts.regular, link).slice(0, 110), 155, 8, grey);
  centred(page, fonts.regular, `Credential id: ${facts.credentialId}`, 110, 9, grey);
  centred(page, fonts.regular, `The signed credential is attached to this PDF as ${CERTIFICATE_ATTACHMENT_JSON}; it is what a verifier checks.`, 92, 8, grey);
}

/**
 * Makes a one-page A4 PDF certificate: institution, learner's display name (when the credential has one),
 * achievement, credits, dates, a QR code (see {@link certificateLink}) and the credential id. The signed anchored
 * credential is attached as a file, so `microcred verify` and `POST /v1/verify` verify the PDF itself. Give the
 * anchored form: a Data Integrity credential or a VC-JOSE envelope. Throws ERR_CERTIFICATE_CREDENTIAL or
 * ERR_CERTIFICATE_OPTIONS.
 */
export async function certificatePdf(credential: Record<string, unknown> | string, options: CertificateOptions): Promise<Uint8Array> {
  const now = (options.now ?? (() => new Date()))();
  const facts = certificateFacts(credential);
  const link = certificateLink(options.verifierUrl, facts.credentialId);
  const pdf = await PDFDocument.create();
  const fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  pdf.setTitle(printable(fonts.regular, `${facts.achievement}: certificate`));
  pdf.setAuthor(printable(fonts.regular, facts.institution));
  pdf.setProducer('microcred');
  pdf.setCreationDate(now);
  pdf.setModificationDate(now);
  const qrPng = await QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 6 });
  await drawPage(pdf.addPage(A4), fonts, facts, link, qrPng, pdf);
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
