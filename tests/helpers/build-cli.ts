// Vitest global setup: builds the CLI (npm run build) once before any test, so CLI tests run the program users run.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Compiles cli/ and src/ to dist/ (about 0.3 s); a failed build stops the run with the compiler's message. */
export default function setup(): void {
  execFileSync(process.execPath, [path.resolve(__dirname, '..', '..', 'scripts', 'build.cjs'), '--quiet'], { stdio: 'inherit', timeout: 120_000 });
}
