// `microcred backup <file>`: an online copy of the issuer database, safe while the service keeps writing.
import { Command } from 'commander';
import { isMicrocredError } from '../src/errors';
import { backupDatabaseFile, databasePath, resolveDataDir } from '../src/store';

/** Codes that mean "change the command line", answered with exit code 2. */
const USAGE_CODES = new Set(['ERR_BACKUP_EXISTS', 'ERR_BACKUP_DESTINATION']);

/** Human-readable size. */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Builds the `backup` command. Exit codes: 0 done, 1 the backup failed, 2 usage error (bad arguments, file exists). */
export function backupCommand(): Command {
  return new Command('backup')
    .description('Take an online backup of the issuer database (safe while `microcred serve` runs).')
    .argument('<file>', 'backup file to write; it must not exist unless --force')
    .option('--data <dir>', 'data folder (default: $MICROCRED_DATA or ./.data)')
    .option('--force', 'replace an existing backup file (atomically)', false)
    .option('--json', 'print a JSON result for scripts', false)
    .addHelpText('after', '\nExit codes: 0 backup written, 1 backup failed, 2 usage error (for example the file exists without --force).')
    // Commander exits with 1 on usage errors; this CLI documents 2 for them, so keep 1 for real failures.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .action(async (file: string, options: { data?: string; force: boolean; json: boolean }) => {
      const source = databasePath(resolveDataDir({ data: options.data }));
      try {
        const result = await backupDatabaseFile(source, file, { force: options.force });
        if (options.json) {
          console.log(JSON.stringify({ ok: true, source, path: result.path, bytes: result.bytes, pages: result.pages }));
        } else {
          console.log(`Backed up ${source} to ${result.path} (${formatBytes(result.bytes)}, ${result.bytes} bytes).`);
        }
      } catch (error: unknown) {
        const code = isMicrocredError(error) ? error.code : 'ERR_BACKUP_FAILED';
        const message = error instanceof Error ? error.message : String(error);
        if (options.json) console.log(JSON.stringify({ ok: false, code, message }));
        else console.error(`microcred backup: ${message}`);
        process.exitCode = USAGE_CODES.has(code) ? 2 : 1;
      }
    });
}
