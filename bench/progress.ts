// Progress lines on stderr, stamped with the seconds since the benchmark started, so a long run shows where it is.
// Children inherit BENCH_T0 from the parent, so every line of a run counts from the same start.
const started = Number(process.env.BENCH_T0 ?? Date.now());
process.env.BENCH_T0 ??= String(started);

/** Writes one progress line to stderr: `[bench  12.3s] message`. */
export function progress(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

/** Reports every `step` items of a bounded loop (and the last one). */
export function loopProgress(label: string, total: number, step = Math.max(1, Math.ceil(total / 5))): (done: number) => void {
  return (done) => {
    if (done === total || done % step === 0) progress(`${label}: ${done}/${total}`);
  };
}
