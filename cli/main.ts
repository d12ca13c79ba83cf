// The `microcred` command line: one file per command under cli/, registered here and loaded only when it runs.
import { Command, CommanderError, Help } from "commander";
import { EXIT, reportFailure, routeCommanderErrors, wantsJson } from "./runner";

/** A command as the top-level help lists it, and how to load it: its module (and its dependencies) load only when it runs. */
export interface CommandEntry {
  readonly name: string;
  /** The command's column in `microcred --help` (commander's subcommand term of the loaded command). */
  readonly term: string;
  /** The command's description (the loaded command's own; tests/unit/cli-main.test.ts keeps both equal). */
  readonly description: string;
  readonly load: () => Promise<Command>;
}

/** The status command of `action` from cli/status.ts (it builds revoke, suspend and reinstate together). */
async function statusCommand(action: string): Promise<Command> {
  const command = (await import("./status.js"))
    .statusCommands()
    .find((c) => c.name() === action);
  if (command === undefined)
    throw new Error(`cli/status.ts builds no ${action} command`);
  return command;
}

/** Every command, in the order `microcred --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "init",
    term: "init [options]",
    description:
      "Create the data folder: secret, database, issuer signing key, and config.json to edit.",
    load: async () => (await import("./init.js")).initCommand(),
  },
  {
    name: "backup",
    term: "backup [options] <file>",
    description:
      "Take an online backup of the issuer database (safe while `microcred serve` runs).",
    load: async () => (await import("./backup.js")).backupCommand(),
  },
  {
    name: "token",
    term: "token",
    description: "Create, list and revoke API tokens of the issuer API.",
    load: async () => (await import("./token.js")).tokenCommand(),
  },
  {
    name: "keys",
    term: "keys",
    description: "List and rotate the issuer's signing keys.",
    load: async () => (await import("./keys.js")).keysCommand(),
  },
  {
    name: "module",
    term: "module",
    description:
      "Define the modules credentials are issued for, once: add, edit (a new version), retire, list, show, import, endorse.",
    load: async () => (await import("./module.js")).moduleCommand(),
  },
  {
    name: "issue",
    term: "issue [options]",
    description:
      "Issue one credential (flags or --record file.json) or a cohort (--csv file.csv).",
    load: async () => (await import("./issue.js")).issueCommand(),
  },
  {
    name: "export",
    term: "export [options]",
    description:
      "Write the final (anchored) form of issued credentials into a folder, in files named after the learner and the module.",
    load: async () => (await import("./export.js")).exportCommand(),
  },
  {
    name: "offer",
    term: "offer",
    description:
      "Offer credentials to learners' wallets (OpenID for Verifiable Credential Issuance).",
    load: async () => (await import("./offer.js")).offerCommand(),
  },
  {
    name: "revoke",
    term: "revoke [options] <credential-id>",
    description:
      "Revoke a credential for good. Carried out on chain once the credential's batch is anchored.",
    load: () => statusCommand("revoke"),
  },
  {
    name: "suspend",
    term: "suspend [options] <credential-id>",
    description:
      "Suspend a credential (reinstate it later). Carried out on chain once the credential's batch is anchored.",
    load: () => statusCommand("suspend"),
  },
  {
    name: "reinstate",
    term: "reinstate [options] <credential-id>",
    description:
      "Reinstate a suspended credential. Carried out on chain once the credential's batch is anchored.",
    load: () => statusCommand("reinstate"),
  },
  {
    name: "status",
    term: "status",
    description:
      "Bitstring Status Lists: reconcile them with the database and the chain, or export them.",
    load: async () => (await import("./status-lists.js")).statusListCommand(),
  },
  {
    name: "anchor",
    term: "anchor [options]",
    description:
      "Seal the open batch now and anchor it on chain (retrying failed batches); print the batches.",
    load: async () => (await import("./anchor.js")).anchorCommand(),
  },
  {
    name: "delivery",
    term: "delivery",
    description:
      "List the delivery outbox (webhooks and emails of anchored credentials) and retry failed jobs.",
    load: async () => (await import("./delivery.js")).deliveryCommand(),
  },
  {
    name: "registry",
    term: "registry",
    description:
      "Deploy the registry, accredit issuers and manage their operators.",
    load: async () => (await import("./registry.js")).registryCommand(),
  },
  {
    name: "verify",
    term: "verify [options] <inputs...>",
    description:
      "Verify credentials: files, folders (recursively) or - for standard input.",
    load: async () => (await import("./verify.js")).verifyCommand(),
  },
  {
    name: "audit",
    term: "audit [options] <inputs...>",
    description:
      "Decide CPD compliance: verify every credential in files or folders and count the credits each licensee earned under a policy.",
    load: async () => (await import("./audit.js")).auditCommand(),
  },
  {
    name: "endorse",
    term: "endorse [options] <achievementId>",
    description:
      "Issue an EndorsementCredential about a module (its achievement id) as this data folder's issuer: the accrediting body. It is stored, anchored and revocable like any credential.",
    load: async () => (await import("./endorse.js")).endorseCommand(),
  },
  {
    name: "bake",
    term: "bake [options] <credential>",
    description:
      "Bake an anchored credential into a PNG or SVG badge image (Open Badges 3.0 baking).",
    load: async () => (await import("./bake.js")).bakeCommand(),
  },
  {
    name: "certificate",
    term: "certificate [options] [credential]",
    description:
      "Make PDF certificates (A4 or Letter): QR code, institution logo, the anchored credential attached. One file per credential.",
    load: async () => (await import("./certificate.js")).certificateCommand(),
  },
  {
    name: "share",
    term: "share",
    description:
      "Show, disable or re-enable the public share link of a credential (/c/{id}).",
    load: async () => (await import("./share.js")).shareCommand(),
  },
  {
    name: "serve",
    term: "serve [options]",
    description:
      "Run the issuer API, the verifier API and the verification page (the embedded chain unless configured otherwise).",
    load: async () => (await import("./serve.js")).serveCommand(),
  },
];

/** The command a command line runs (`verify` in `verify a.json`, also in `help verify`), if it names one. */
export function commandNameOf(args: readonly string[]): string | undefined {
  // The program's own options (--help, --version) take no value, so the first other word names the command.
  const [first, second] = args.filter((arg) => !arg.startsWith("-"));
  return first === "help" ? second : first;
}

/**
 * Builds the program. Only the command named by `load` (or, with 'all', every command) is loaded; the others are
 * listed by name, term and description, so `microcred --help` loads neither ethers, jsonld nor Hardhat.
 */
export async function buildProgram(load = "all"): Promise<Command> {
  const program = new Command();
  program
    .name("microcred")
    .description(
      "Issue and verify Open Badges 3.0 micro-credentials anchored in an EVM registry.",
    )
    .version("0.1.0")
    .showHelpAfterError()
    .addHelpText(
      "after",
      "\nExample: microcred verify ./credentials --csv report.csv   (`microcred <command> --help` shows each command's options)",
    );
  const terms = new Map(COMMANDS.map((entry) => [entry.name, entry.term]));
  const help = new Help();
  program.configureHelp({
    subcommandTerm: (command) =>
      terms.get(command.name()) ?? help.subcommandTerm(command),
  });
  for (const entry of COMMANDS) {
    program.addCommand(
      load === "all" || load === entry.name
        ? await entry.load()
        : new Command(entry.name).description(entry.description),
    );
  }
  return program;
}

/**
 * Runs the CLI with `argv` (as in process.argv). Every outcome follows one exit-code table (docs/cli.md); commander's
 * own usage errors exit 2 and, with --json, print `{ok: false, code: "ERR_USAGE", ...}` on stdout.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const json = wantsJson(argv.slice(2));
  let program: Command | undefined;
  try {
    program = await buildProgram(commandNameOf(argv.slice(2)) ?? "none");
    routeCommanderErrors(program, json);
    await program.parseAsync([...argv]);
  } catch (error: unknown) {
    // --help and --version end through the same path, with exit code 0.
    if (error instanceof CommanderError && error.exitCode === 0)
      process.exitCode = EXIT.ok;
    // Without --json commander has printed its message (and the help) already.
    else if (error instanceof CommanderError && !json)
      process.exitCode = EXIT.usage;
    else
      process.exitCode = reportFailure(
        program?.args[0] ?? commandNameOf(argv.slice(2)) ?? "",
        json,
        error,
      );
  }
}
