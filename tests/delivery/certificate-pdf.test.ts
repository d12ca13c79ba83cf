// The PDF certificate: parsed back, its attachment verifies, its QR code (decoded from the image in the PDF) leads to the credential.
import { deflateSync, inflateSync } from 'node:zlib';
import jsQR from 'jsqr';
import type { PDFNumber} from 'pdf-lib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CERTIFICATE_ATTACHMENT_JSON, MAX_LOGO_BYTES, certificateFacts, certificateLink, certificatePdf, checkLogo, credentialFromPdf, extractEmbedded, linkedinAddUrl, MAX_PDF_DECODED_BYTES } from '../../src/delivery';
import { PNG } from 'pngjs';
import { createVerifier, type Verifier } from '../../src/verify';
import { CHAIN_ID, FAKE_REGISTRY, NOW, anchorBatch, fakeAnchor, fakeReader, lookupOf, makeIssuer, signedDi, signedJws } from '../verify/fixtures';
import { extractOrRefused } from './fixtures';

const VERIFIER_URL = 'https://verify.hospital.example/';
let verifier: Verifier;
let anchoredDi: Record<string, unknown>;
let envelope: Record<string, unknown>;

beforeAll(async () => {
  const issuer = makeIssuer();
  const batch = await anchorBatch([await signedDi(issuer), await signedJws(issuer)], { chainId: CHAIN_ID, registry: FAKE_REGISTRY, anchorRoot: fakeAnchor });
  [anchoredDi, envelope] = batch.anchored as [Record<string, unknown>, Record<string, unknown>];
  verifier = createVerifier({ chain: { reader: fakeReader(lookupOf(issuer.did)) }, now: () => NOW });
});

/** Every image XObject drawn on the first page, decoded to RGBA from the PDF's own stream (FlateDecode, DeviceRGB). */
async function pageImages(pdfBytes: Uint8Array): Promise<Array<{ width: number; height: number; rgba: Uint8ClampedArray }>> {
  const doc = await PDFDocument.load(pdfBytes);
  const resources = doc.getPage(0).node.Resources()!;
  const xObjects = resources.lookup(PDFName.of('XObject'), PDFDict);
  const images = [];
  for (const [, ref] of xObjects.entries()) {
    const stream = doc.context.lookup(ref);
    if (!(stream instanceof PDFRawStream) || stream.dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    expect(stream.dict.lookup(PDFName.of('ColorSpace'))).toBe(PDFName.of('DeviceRGB'));
    expect(stream.dict.lookup(PDFName.of('Filter'))).toBe(PDFName.of('FlateDecode'));
    const width = (stream.dict.lookup(PDFName.of('Width')) as PDFNumber).asNumber();
    const height = (stream.dict.lookup(PDFName.of('Height')) as PDFNumber).asNumber();
    const rgb = inflateSync(stream.contents);
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba.set([rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!, 255], i * 4);
    }
    images.push({ width, height, rgba });
  }
  return images;
}

/** The page's content streams, inflated, as Latin-1 text (pdf-lib writes text as hex strings of WinAnsi bytes). */
async function pageContent(pdfBytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(pdfBytes);
  const contents = doc.getPage(0).node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
  let text = '';
  for (const stream of streams) {
    if (!(stream instanceof PDFRawStream)) continue;
    const filtered = stream.dict.lookup(PDFName.of('Filter')) !== undefined;
    text += (filtered ? inflateSync(stream.contents) : Buffer.from(stream.contents)).toString('latin1');
  }
  return text;
}
const hexOf = (text: string) => `<${Buffer.from(text, 'latin1').toString('hex').toUpperCase()}>`;

describe('PDF certificate', () => {
  it('is one A4 page whose attachment is the anchored credential, byte for byte, and it verifies valid', async () => {
    const pdf = await certificatePdf(anchoredDi, { verifierUrl: VERIFIER_URL, now: () => NOW });
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 });
    const attached = await credentialFromPdf(pdf);
    expect(attached).toBe(JSON.stringify(anchoredDi));
    expect((await verifier.verify(attached)).verdict).toBe('valid');
    expect((await extractEmbedded(pdf))?.container).toBe('pdf');
  });

  it('prints the institution, learner, achievement, credits, dates and credential id', async () => {
    const content = await pageContent(await certificatePdf(anchoredDi, { verifierUrl: VERIFIER_URL, now: () => NOW }));
    for (const text of ['St Example Hospital', 'Ada Lovelace', 'Advanced Cardiac Life Support', '8 CPD credits', 'Completed 1 March 2025, valid until 1 March 2027', `Credential id: ${String(anchoredDi.id)}`]) {
      expect(content, text).toContain(hexOf(text));
    }
    expect(content).not.toContain(hexOf('ada@example.org'));
  });

  it('its QR code, decoded from the image inside the PDF, is the verification page link with the credential id', async () => {
    const pdf = await certificatePdf(anchoredDi, { verifierUrl: VERIFIER_URL, now: () => NOW });
    const images = await pageImages(pdf);
    expect(images).toHaveLength(1);
    const { width, height, rgba } = images[0]!;
    const decoded = jsQR(rgba, width, height);
    expect(decoded?.data).toBe(certificateLink(VERIFIER_URL, String(anchoredDi.id)));
    expect(decoded?.data).toBe(`${VERIFIER_URL}#credential=${encodeURIComponent(String(anchoredDi.id))}`);
  });

  it('a VC-JOSE envelope is attached as JSON and verifies valid', async () => {
    const pdf = await certificatePdf(envelope, { verifierUrl: VERIFIER_URL });
    const attached = await credentialFromPdf(pdf);
    expect(JSON.parse(attached)).toEqual(envelope);
    expect((await verifier.verify(attached)).verdict).toBe('valid');
  });

  it('a certificate whose attached credential was altered is invalid', async () => {
    const subject = anchoredDi.credentialSubject as { achievement: Record<string, unknown> };
    const forged = { ...anchoredDi, credentialSubject: { ...subject, achievement: { ...subject.achievement, creditsAvailable: 80 } } };
    const pdf = await certificatePdf(forged, { verifierUrl: VERIFIER_URL });
    expect((await verifier.verify(await credentialFromPdf(pdf))).verdict).toBe('invalid');
  });

  it('a PDF without the attachment carries no credential; a name outside WinAnsi still prints', async () => {
    const plain = await PDFDocument.create();
    plain.addPage();
    await plain.attach(Buffer.from('hello'), 'notes.txt', { mimeType: 'text/plain' });
    await expect(credentialFromPdf(await plain.save())).rejects.toMatchObject({ code: 'ERR_EMBEDDED_NONE' });
    const issuer = makeIssuer('Szpital Łódź');
    const batch = await anchorBatch([await signedDi(issuer, { learner: { email: 'z@example.org', name: 'Zoë Łukasiewicz' } })], { chainId: CHAIN_ID, registry: FAKE_REGISTRY, anchorRoot: fakeAnchor });
    const content = await pageContent(await certificatePdf(batch.anchored[0]!, { verifierUrl: VERIFIER_URL }));
    expect(content).toContain(hexOf('Zo\u00EB Lukasiewicz'));
    expect(content).toContain(hexOf('Szpital L\u00F3dz'));
  });

  it('refuses a small PDF whose object stream would inflate past the budget (a zip bomb), and still reads one under it', async () => {
    const bomb = pdfWithObjectStream(MAX_PDF_DECODED_BYTES * 2);
    expect(bomb.length).toBeLessThan(MAX_PDF_DECODED_BYTES / 100);
    await expect(credentialFromPdf(bomb)).rejects.toMatchObject({ code: 'ERR_EMBEDDED_MALFORMED', message: expect.stringContaining('decompress to more than 32 MiB') });
    // It shows no sign of a credential, so a folder scan counts it as carrying none, and says why.
    await expect(extractEmbedded(bomb)).rejects.toMatchObject({ code: 'ERR_EMBEDDED_NONE', message: expect.stringContaining('decompress to more than') });
    // The same shape under the budget loads: it is refused only for having no credential attached.
    await expect(credentialFromPdf(pdfWithObjectStream(1024 * 1024))).rejects.toMatchObject({ code: 'ERR_EMBEDDED_NONE' });
  });

  it('refuses a verifier URL that is not http(s)', async () => {
    await expect(certificatePdf(anchoredDi, { verifierUrl: 'javascript:alert(1)' })).rejects.toMatchObject({ code: 'ERR_CERTIFICATE_OPTIONS' });
    expect(CERTIFICATE_ATTACHMENT_JSON).toBe('credential.json');
  });
});

/** A minimal PDF (catalog, one object stream, xref table) whose object stream inflates to `bytes` bytes of spaces. */
function pdfWithObjectStream(bytes: number): Buffer {
  const inner = Buffer.alloc(bytes, 0x20);
  inner.write('2 0 ', 0);
  const data = deflateSync(inner, { level: 9 });
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (part: Buffer | string) => {
    const buffer = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    parts.push(buffer);
    length += buffer.length;
  };
  push('%PDF-1.7\n');
  offsets[1] = length;
  push('1 0 obj\n<< /Type /Catalog >>\nendobj\n');
  offsets[2] = length;
  push(`2 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length ${data.length} /Filter /FlateDecode >>\nstream\n`);
  push(data);
  push('\nendstream\nendobj\n');
  const xref = length;
  const entry = (offset: number) => `${String(offset).padStart(10, '0')} 00000 n \n`;
  push(`xref\n0 3\n0000000000 65535 f \n${entry(offsets[1])}${entry(offsets[2])}trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}

/** A 40×20 PNG logo, a solid colour. */
function logoPng(): Buffer {
  const png = new PNG({ width: 40, height: 20 });
  for (let i = 0; i < 40 * 20; i++) png.data.set([200, 30, 30, 255], i * 4);
  return PNG.sync.write(png);
}

describe('PDF certificate with a share link, a logo and Letter paper', () => {
  const SHARE = 'https://credentials.hospital.example/c/AAAAAAAAAAAAAAAAAAAAAA';

  it('its QR code is the share link; Letter paper is 612 × 792 pt; the logo is drawn as a second image', async () => {
    const pdf = await certificatePdf(anchoredDi, { link: SHARE, paperSize: 'Letter', logo: checkLogo(logoPng()), now: () => NOW });
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPage(0).getSize()).toEqual({ width: 612, height: 792 });
    const images = await pageImages(pdf);
    expect(images.map((i) => `${i.width}x${i.height}`)).toContain('40x20');
    const qr = images.find((i) => i.width !== 40)!;
    expect(jsQR(qr.rgba, qr.width, qr.height)?.data).toBe(SHARE);
    expect(await credentialFromPdf(pdf)).toBe(JSON.stringify(anchoredDi));
    expect((await verifier.verify(await credentialFromPdf(pdf))).verdict).toBe('valid');
  });

  it('needs exactly one QR target, http(s) only; a logo must be a PNG or JPEG of at most 512 KiB', async () => {
    await expect(certificatePdf(anchoredDi, {})).rejects.toMatchObject({ code: 'ERR_CERTIFICATE_OPTIONS' });
    await expect(certificatePdf(anchoredDi, { link: SHARE, verifierUrl: VERIFIER_URL })).rejects.toMatchObject({ code: 'ERR_CERTIFICATE_OPTIONS' });
    await expect(certificatePdf(anchoredDi, { link: 'ftp://example.org/x' })).rejects.toMatchObject({ code: 'ERR_CERTIFICATE_OPTIONS' });
    expect(() => checkLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toThrow(expect.objectContaining({ code: 'ERR_CERTIFICATE_LOGO' }));
    const big = Buffer.concat([logoPng(), Buffer.alloc(MAX_LOGO_BYTES)]);
    expect(() => checkLogo(big)).toThrow(expect.objectContaining({ code: 'ERR_CERTIFICATE_LOGO' }));
    expect(checkLogo(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])).type).toBe('jpeg');
  });

  it('the LinkedIn "Add to profile" URL names the certification, organisation, dates, share link and credential id', () => {
    const facts = certificateFacts(anchoredDi);
    const byName = new URL(linkedinAddUrl(facts, SHARE));
    expect(byName.origin + byName.pathname).toBe('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(byName.searchParams)).toEqual({
      startTask: 'CERTIFICATION_NAME',
      name: 'Advanced Cardiac Life Support',
      organizationName: 'St Example Hospital',
      issueYear: '2025',
      issueMonth: '3',
      expirationYear: '2027',
      expirationMonth: '3',
      certUrl: SHARE,
      certId: String(anchoredDi.id),
    });
    const byId = new URL(linkedinAddUrl(facts, SHARE, { organizationId: '1337' }));
    expect(byId.searchParams.get('organizationId')).toBe('1337');
    expect(byId.searchParams.has('organizationName')).toBe(false);
  });
});

describe('damaged PDF certificates (property)', () => {
  it('a byte changed anywhere: refused with ERR_EMBEDDED_*, or the credential is unchanged, or it is not valid', async () => {
    const fc = await import('fast-check');
    const pdf = Buffer.from(await certificatePdf(anchoredDi, { verifierUrl: VERIFIER_URL, now: () => NOW }));
    expect(pdf.includes(CERTIFICATE_ATTACHMENT_JSON, 0, 'latin1')).toBe(true);
    const original = JSON.stringify(anchoredDi);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const bytes = Buffer.from(pdf);
        const i = at % bytes.length;
        bytes[i] = bytes[i]! ^ xor;
        const text = await extractOrRefused(bytes);
        if (text !== undefined && text !== original) expect((await verifier.verify(text)).verdict).not.toBe('valid');
      }),
      { numRuns: 60, seed: 16 },
    );
  });
});
