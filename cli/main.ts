// The `microcred` command line: one file per command under cli/, registered here.
import { Command } from 'commander';
import { anchorCommand } from './anchor';
import { backupCommand } from './backup';
import { bakeCommand, certificateCommand } from './bake';
import { initCommand } from './init';
import { issueCommand } from './issue';
import { keysCommand } from './keys';
import { registryCommand } from './registry';
import { serveCommand } from './serve';
import { statusCommands } from './status';
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
  program.addCommand(issueCommand());
  for (const command of statusCommands()) program.addCommand(command);
  program.addCommand(anchorCommand());
  program.addCommand(registryCommand());
  program.addCommand(verifyCommand());
  program.addCommand(bakeCommand());
  program.addCommand(certificateCommand());
  program.addCommand(serveCommand());
  return program;
}

/** Runs the CLI with `argv` (as in process.argv); unexpected errors exit with code 2 and a one-line message. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error: unknown) {
    console.error(`microcred: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
