// Renders a PDF page in real Chromium with pdf.js (pdfjs-dist, served from node_modules through request routing, so no
// network is used) and decodes QR codes from the rendered pixels with jsQR.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';

/** A made-up origin the routes answer for; the browser never resolves it. */
const ORIGIN = 'http://pdf-render.invalid';
const PDFJS_DIR = path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'build');

/** Pixels of a rendered page. */
export interface RenderedPage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
  /** The page's size in PDF points, as pdf.js reads it. */
  readonly points: { readonly width: number; readonly height: number };
}

/** Renders page `pageNumber` (1-based) of `pdf` at `scale` pixels per point. */
export async function renderPdfPage(browser: Browser, pdf: Uint8Array, pageNumber = 1, scale = 2): Promise<RenderedPage> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const files: Record<string, { body: Buffer | string; type: string }> = {
      '/index.html': { body: '<!doctype html><meta charset="utf-8"><title>render</title><canvas id="c"></canvas>', type: 'text/html' },
      '/pdf.min.mjs': { body: readFileSync(path.join(PDFJS_DIR, 'pdf.min.mjs')), type: 'text/javascript' },
      '/pdf.worker.min.mjs': { body: readFileSync(path.join(PDFJS_DIR, 'pdf.worker.min.mjs')), type: 'text/javascript' },
      '/document.pdf': { body: Buffer.from(pdf), type: 'application/pdf' },
    };
    await context.route(`${ORIGIN}/**`, (route) => {
      const file = files[new URL(route.request().url()).pathname];
      return file === undefined ? route.fulfill({ status: 404, body: '' }) : route.fulfill({ status: 200, body: file.body, contentType: file.type });
    });
    await page.goto(`${ORIGIN}/index.html`);
    // Written as page source (not a Node function): it runs in the page, where `document` and pdf.js exist.
    const rendered = await page.evaluate<{ png: string; points: { width: number; height: number } }>(`(async () => {
      const pdfjs = await import('/pdf.min.mjs');
      pdfjs.GlobalWorkerOptions.workerSrc = '/pdf.worker.min.mjs';
      const doc = await pdfjs.getDocument('/document.pdf').promise;
      const pdfPage = await doc.getPage(${Number(pageNumber)});
      const unit = pdfPage.getViewport({ scale: 1 });
      const viewport = pdfPage.getViewport({ scale: ${Number(scale)} });
      const canvas = document.getElementById('c');
      canvas.width = Math.ceil(viewport.width);
      canvas.height = Math.ceil(viewport.height);
      await pdfPage.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
      return { png: canvas.toDataURL('image/png'), points: { width: unit.width, height: unit.height } };
    })()`);
    const image = PNG.sync.read(Buffer.from(rendered.png.slice(rendered.png.indexOf(',') + 1), 'base64'));
    return { width: image.width, height: image.height, rgba: new Uint8ClampedArray(image.data), points: rendered.points };
  } finally {
    await context.close();
  }
}

/** The text of the QR code found in a rendered page, or undefined. */
export function decodeQr(page: RenderedPage): string | undefined {
  return jsQR(page.rgba, page.width, page.height)?.data;
}
