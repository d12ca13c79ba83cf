// `microcred backup <file>`: an online copy of the issuer database, safe while the service keeps writing.
import { Command } from 'commander';
import { backupDatabaseFile, databasePath, resolveDataDir } from '../src/store';
import { runCommand } from './runner';

/** Human-readable size. */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Builds the `backup` command. Exit codes: 0 done, 1 refused, 2 usage error (bad arguments, file exists, no database), 3 the copy failed. */
export function backupCommand(): Command {
  return new Command('backup')
    .description('Take an online backup of the issuer database (safe while `microcred serve` runs).')
    .argument('<file>', 'backup file to write; it must not exist unless --force')
    .option('--data <dir>', 'data folder (default: $MICROCRED_DATA or ./.data)')
    .option('--force', 'replace an existing backup file (atomically)', false)
    .option('--json', 'print a JSON result for scripts', false)
    .addHelpText('after', '\nExample: microcred backup /var/backups/microcred-2026-12-01.sqlite --data /var/lib/microcred')
    .addHelpText('after', '\nExit codes: 0 backup written, 1 refused (a database written by a newer microcred), 2 usage error (for example the file exists without --force, or no database), 3 the copy failed.')
    .action(async (file: string, options: { data?: string; force: boolean; json: boolean }) =>
      runCommand('backup', options.json, async () => {
        const source = databasePath(resolveDataDir({ data: options.data }));
        const result = await backupDatabaseFile(source, file, { force: options.force });
        if (options.json) {
          console.log(JSON.stringify({ ok: true, source, path: result.path, bytes: result.bytes, pages: result.pages }));
        } else {
          console.log(`Backed up ${source} to ${result.path} (${formatBytes(result.bytes)}, ${result.bytes} bytes).`);
        }
      }),
    );
}
