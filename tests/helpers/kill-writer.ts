// Runs a writer fixture (a TypeScript file that prints one line per acknowledged write) and SIGKILLs it mid-work.
import { spawn } from 'node:child_process';
import path from 'node:path';

/** What the killed writer printed before it died, and the signal it died of (SIGKILL unless it finished first). */
export interface KilledWriter {
  readonly lines: readonly string[];
  readonly signal: NodeJS.Signals | null;
}

/**
 * Spawns `script` under tsx with `args`, collects its stdout lines, and sends SIGKILL as soon as `killWhen(lines)`
 * holds; resolves when the process has exited. stderr is passed through so a failing writer explains itself.
 */
export function runWriterUntilKilled(script: string, args: readonly string[], killWhen: (lines: readonly string[]) => boolean): Promise<KilledWriter> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', script, ...args], {
    cwd: path.resolve(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    const complete = buffer.split('\n');
    buffer = complete.pop() ?? '';
    lines.push(...complete);
    if (killWhen(lines) && child.exitCode === null && !child.killed) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve({ lines, signal })));
}
