// The `microcred` command line: one file per command under cli/, registered here.
import { Command, CommanderError } from 'commander';
import { anchorCommand } from './anchor';
import { deliveryCommand } from './delivery';
import { auditCommand } from './audit';
import { backupCommand } from './backup';
import { bakeCommand } from './bake';
import { certificateCommand } from './certificate';
import { exportCommand } from './export';
import { initCommand } from './init';
import { issueCommand } from './issue';
import { keysCommand } from './keys';
import { offerCommand } from './offer';
import { endorseCommand } from './endorse';
import { moduleCommand } from './module';
import { registryCommand } from './registry';
import { EXIT, reportFailure, routeCommanderErrors, wantsJson } from './runner';
import { serveCommand } from './serve';
import { shareCommand } from './share';
import { statusCommands } from './status';
import { statusListCommand } from './status-lists';
import { tokenCommand } from './token';
import { verifyCommand } from './verify';

/** Builds the program with every command registered; exported so tests can run it in-process. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('microcred')
    .description('Issue and verify Open Badges 3.0 micro-credentials anchored in an EVM registry.')
    .version('0.1.0')
    .showHelpAfterError();
  program.addCommand(initCommand());
  program.addCommand(backupCommand());
  program.addCommand(tokenCommand());
  program.addCommand(keysCommand());
  program.addCommand(moduleCommand());
  program.addCommand(issueCommand());
  program.addCommand(exportCommand());
  program.addCommand(offerCommand());
  for (const command of statusCommands()) program.addCommand(command);
  program.addCommand(statusListCommand());
  program.addCommand(anchorCommand());
  program.addCommand(deliveryCommand());
  program.addCommand(registryCommand());
  program.addCommand(verifyCommand());
  program.addCommand(auditCommand());
  program.addCommand(endorseCommand());
  program.addCommand(bakeCommand());
  program.addCommand(certificateCommand());
  program.addCommand(shareCommand());
  program.addCommand(serveCommand());
  return program;
}

/**
 * Runs the CLI with `argv` (as in process.argv). Every outcome follows one exit-code table (docs/cli.md); commander's
 * own usage errors exit 2 and, with --json, print `{ok: false, code: "ERR_USAGE", ...}` on stdout.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const json = wantsJson(argv.slice(2));
  const program = buildProgram();
  routeCommanderErrors(program, json);
  try {
    await program.parseAsync([...argv]);
  } catch (error: unknown) {
    // --help and --version end through the same path, with exit code 0.
    if (error instanceof CommanderError && error.exitCode === 0) process.exitCode = EXIT.ok;
    // Without --json commander has printed its message (and the help) already.
    else if (error instanceof CommanderError && !json) process.exitCode = EXIT.usage;
    else process.exitCode = reportFailure(program.args[0] ?? '', json, error);
  }
}
