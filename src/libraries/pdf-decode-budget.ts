// Bounds how many bytes pdf-lib may decompress while it loads one PDF. pdf-lib inflates every object stream as it
// loads, without a limit, so a 1 MB upload can expand to gigabytes (a zip bomb); its decoders all grow their output
// through DecodeStream.ensureBuffer, which is where the budget is charged.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';

interface Budget {
  remaining: number;
  exceeded: boolean;
}

/** Thrown (and remembered) when a PDF's streams decompress to more than the budget of the load in progress. */
export class PdfDecodeBudgetExceeded extends Error {}

type EnsureBuffer = (this: { buffer: Uint8Array }, requested: number) => Uint8Array;
interface DecodeStreamModule {
  default: { prototype: { ensureBuffer: EnsureBuffer } };
}

const budgets = new AsyncLocalStorage<Budget>();
let installed = false;

// Wraps pdf-lib's one growth point once per process; loads outside withPdfDecodeBudget are charged nothing.
function install(): void {
  if (installed) return;
  // pdf-lib has no exports map: this is the same module instance its own decoders extend (pinned version, see package.json).
  const { default: DecodeStream } = createRequire(__filename)('pdf-lib/cjs/core/streams/DecodeStream') as DecodeStreamModule;
  const original = DecodeStream.prototype.ensureBuffer;
  DecodeStream.prototype.ensureBuffer = function ensureBuffer(requested) {
    const budget = budgets.getStore();
    if (budget === undefined || requested <= this.buffer.byteLength) return original.call(this, requested);
    if (budget.exceeded || requested - this.buffer.byteLength > budget.remaining) {
      budget.exceeded = true;
      throw new PdfDecodeBudgetExceeded('The PDF decompresses to more than a certificate can hold.');
    }
    const before = this.buffer.byteLength;
    const grown = original.call(this, requested);
    budget.remaining -= grown.byteLength - before;
    return grown;
  };
  installed = true;
}

/**
 * Runs `load` (a pdf-lib load and anything it does asynchronously) with at most `maxBytes` of decompressed stream data
 * in total. pdf-lib swallows a failed object and goes on, so the budget is checked again after the load: when it ran
 * out at any point, this throws {@link PdfDecodeBudgetExceeded} whatever `load` returned.
 */
export async function withPdfDecodeBudget<T>(maxBytes: number, load: () => Promise<T>): Promise<T> {
  install();
  const budget: Budget = { remaining: maxBytes, exceeded: false };
  const result = await budgets.run(budget, load);
  if (budget.exceeded) throw new PdfDecodeBudgetExceeded('The PDF decompresses to more than a certificate can hold.');
  return result;
}
