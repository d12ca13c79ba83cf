// The QR code of an offer link, for a wallet on another device (share page, email, printed letter).
import QRCode from 'qrcode';

/** The offer link as an SVG QR code (error correction M: readable from a screen or paper). */
export function offerQrSvg(credentialOfferUri: string): Promise<string> {
  return QRCode.toString(credentialOfferUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/** The offer link as a PNG QR code. */
export function offerQrPng(credentialOfferUri: string): Promise<Buffer> {
  return QRCode.toBuffer(credentialOfferUri, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 6 });
}
