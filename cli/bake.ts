// `microcred bake`: a learner's anchored credential baked into a badge image (the PDF certificate is cli/certificate.ts).
import { readFile, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { bakePng, bakeSvg, isAnchoredPayload, toPayload } from '../src/delivery';
import { isMicrocredError } from '../src/errors';
import { assertOutputFolder } from './runner';

interface CommonFlags {
  out: string;
  force: boolean;
  allowUnanchored: boolean;
}

class UsageError extends Error {}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`Cannot read the ${what} "${file}": check that it exists.`);
  }
}

// A learner gets the final form only: signed and anchored, with its anchor proof (issue the credential, wait for its
// batch to be anchored, and fetch it with GET /v1/credentials/{id}).
async function readCredential(file: string, allowUnanchored: boolean): Promise<string> {
  const text = await readText(file, 'credential');
  if (!allowUnanchored && !isAnchoredPayload(toPayload(text))) {
    throw new UsageError(`${file} has no anchor proof yet: give the anchored form (GET /v1/credentials/{id}, field "anchored"), or --allow-unanchored.`);
  }
  return text;
}

async function write(out: string, bytes: Uint8Array | string, force: boolean): Promise<void> {
  try {
    await writeFile(out, bytes, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw new UsageError(exists ? `${out} exists; pass --force to replace it.` : `Cannot write ${out}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function run(name: string, action: () => Promise<string>): Promise<void> {
  return action().then(
    (message) => console.log(message),
    (error: unknown) => {
      console.error(`microcred ${name}: ${error instanceof Error ? error.message : String(error)}`);
      // Bad files and arguments are usage errors (2): the command changes nothing else.
      process.exitCode = error instanceof UsageError || isMicrocredError(error) ? 2 : 1;
    },
  );
}

function withCommon(command: Command): Command {
  return command
    .requiredOption('--out <file>', 'file to write')
    .option('--force', 'replace --out if it exists', false)
    .option('--allow-unanchored', 'accept a credential without its anchor proof (verifiers will say "pending anchor")', false)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
}

/** Builds the `bake` command. Exit codes: 0 written, 1 unexpected failure, 2 usage error or unusable input. */
export function bakeCommand(): Command {
  return withCommon(
    new Command('bake')
      .description('Bake an anchored credential into a PNG or SVG badge image (Open Badges 3.0 baking).')
      .argument('<credential>', 'the anchored credential: a Data Integrity JSON file or a VC-JOSE envelope')
      .option('--png <image>', 'the unbaked badge image (PNG)')
      .option('--svg <image>', 'the unbaked badge image (SVG)')
      .addHelpText('after', '\nExample: microcred bake credential.json --png badge.png --out baked-badge.png'),
  ).action((file: string, flags: CommonFlags & { png?: string; svg?: string }) =>
    run('bake', async () => {
      assertOutputFolder('--out', flags.out);
      if ((flags.png === undefined) === (flags.svg === undefined)) throw new UsageError('Give exactly one of --png <image> or --svg <image>.');
      const credential = await readCredential(file, flags.allowUnanchored);
      if (flags.png !== undefined) {
        let image: Buffer;
        try {
          image = await readFile(flags.png);
        } catch {
          throw new UsageError(`Cannot read the image "${flags.png}".`);
        }
        await write(flags.out, bakePng(image, credential), flags.force);
      } else {
        await write(flags.out, bakeSvg(await readText(flags.svg!, 'image'), credential), flags.force);
      }
      return `Baked ${file} into ${flags.out}.`;
    }),
  );
}
