// `microcred module add|edit|retire|list|show|import|endorse`: the module catalog (docs/catalog.md), from the command line.
import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { ModuleCatalog, ModuleView } from '../src/issuer';
import { EXIT, issuerServiceOf, openContext, runCommand, usageError, withCommonOptions, type CommonOptions } from './context';
import { readInputText } from './runner';

/** The definition flags of `add` and `edit`. */
interface DefinitionFlags {
  from?: string;
  id?: string;
  name?: string;
  description?: string;
  criteria?: string;
  image?: string;
  credits?: string;
  creditUnit?: string;
  tag?: string[];
  alignment?: string[];
  accreditation?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function withDefinitionFlags(command: Command): Command {
  return command
    .option('--from <file.json>', 'read the definition (or, for edit, the fields to change) from a JSON file')
    .option('--name <text>', 'module name')
    .option('--description <text>', 'what the module is about')
    .option('--criteria <text>', 'what the learner has to do')
    .option('--image <file|url>', 'badge image: a PNG, JPEG or SVG file (uploaded, at most 512 KiB) or a URL')
    .option('--credits <n>', 'credits the module carries')
    .option('--credit-unit <unit>', 'unit of the credits, e.g. "CPD hours"')
    .option('--tag <tag>', 'a tag (repeat for more)', collect)
    .option('--alignment <name|url|code>', 'an alignment, e.g. a CPD category: "Clinical|https://cpd.example/clinical|CLIN" (repeat for more)', collect)
    .option('--accreditation <name|url>', 'the accreditation the module holds: "RCP CPD approval|https://rcp.example/cpd"');
}

function readJson(file: string): Record<string, unknown> {
  const text = readInputText(file, 'the module definition (--from)');
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw usageError(`${file} is not JSON; --from takes a module definition as a JSON object (docs/catalog.md).`);
  }
}

/** The definition (or changes) the flags describe; an image file is uploaded to the catalog first. */
function definitionOf(flags: DefinitionFlags, catalog: ModuleCatalog): Record<string, unknown> {
  const out: Record<string, unknown> = flags.from === undefined ? {} : readJson(flags.from);
  for (const key of ['id', 'name', 'description', 'criteria'] as const) if (flags[key] !== undefined) out[key] = flags[key];
  if (flags.credits !== undefined) {
    const credits = Number(flags.credits);
    if (!Number.isFinite(credits)) throw usageError(`--credits must be a number (got "${flags.credits}").`);
    out.credits = credits;
  }
  if (flags.creditUnit !== undefined) out.creditUnit = flags.creditUnit;
  if (flags.tag !== undefined) out.tags = flags.tag;
  if (flags.alignment !== undefined) {
    out.alignments = flags.alignment.map((a) => {
      const [targetName, targetUrl, targetCode] = a.split('|').map((p) => p.trim());
      return { targetName, targetUrl, ...(targetCode ? { targetCode } : {}) };
    });
  }
  if (flags.accreditation !== undefined) {
    const [name, url] = flags.accreditation.split('|').map((p) => p.trim());
    out.accreditation = { name, url };
  }
  if (flags.image !== undefined) {
    if (/^https?:\/\//.test(flags.image) || flags.image.startsWith('sha256:')) out.image = flags.image;
    else if (existsSync(flags.image)) out.image = catalog.uploadImage(readFileSync(flags.image)).ref;
    else throw usageError(`--image ${flags.image} is neither a file nor a URL.`);
  }
  return out;
}

function line(m: ModuleView): string {
  const d = m.definition;
  const credits = d.credits === undefined ? '' : `, ${d.credits} ${d.creditUnit ?? 'credits'}`;
  return `${m.id}  v${m.version}${m.retired ? '  RETIRED' : ''}  ${d.name}${credits}${m.endorsements.length > 0 ? `  (${m.endorsements.length} endorsement(s))` : ''}`;
}

/** Opens the data folder, runs `body` with the catalog, and prints the result as JSON or with `words`. */
function withCatalog(name: string, options: CommonOptions, body: (catalog: ModuleCatalog) => unknown, words: (result: never) => string): Promise<void> {
  return runCommand(`module ${name}`, options.json, () => {
    const ctx = openContext(options);
    try {
      const catalog = issuerServiceOf(ctx).catalog;
      if (catalog === undefined) throw usageError('This issuer has no module catalog.');
      const result = body(catalog);
      console.log(options.json ? JSON.stringify({ ok: true, result }) : words(result as never));
    } finally {
      ctx.close();
    }
  });
}

/** Builds the `module` command group. Exit codes: 0 done, 1 refused (a module exists already), 2 usage error (bad definition, unknown module, unreadable file). */
export function moduleCommand(): Command {
  const module = new Command('module').description('Define the modules credentials are issued for, once: add, edit (a new version), retire, list, show, import, endorse.');
  withCommonOptions(withDefinitionFlags(module.command('add').description('Add a module to the catalog (version 1).').requiredOption('--id <url>', 'the module (achievement) id: a URL or urn that names it for good')))
    .addHelpText('after', '\nExample: microcred module add --id https://hospital.example/modules/acls --name "Advanced Cardiac Life Support" --description "…" --criteria "…" --credits 8 --credit-unit "CPD hours" --image badge.png')
    .action((options: CommonOptions & DefinitionFlags) => withCatalog('add', options, (c) => c.add(definitionOf(options, c), 'cli'), (m: ModuleView) => `Added ${line(m)}`));
  withCommonOptions(withDefinitionFlags(module.command('edit').description('Change some fields of a module; stores a new version (credentials already issued keep theirs).').argument('<moduleId>', 'the module id')))
    .addHelpText('after', '\nExample: microcred module edit https://hospital.example/modules/acls --credits 10')
    .action((id: string, options: CommonOptions & DefinitionFlags) => withCatalog('edit', options, (c) => c.edit(id, definitionOf(options, c), 'cli'), (m: ModuleView) => `Now ${line(m)}`));
  withCommonOptions(module.command('retire').description('Retire a module: nothing more is issued for it; issued credentials are untouched.').argument('<moduleId>', 'the module id'))
    .addHelpText('after', '\nExample: microcred module retire https://hospital.example/modules/acls')
    .action((id: string, options: CommonOptions) => withCatalog('retire', options, (c) => c.retire(id, 'cli'), (m: ModuleView) => `Retired ${line(m)}`));
  withCommonOptions(module.command('list').description('List the catalog (current versions).').option('--all', 'include retired modules', false))
    .addHelpText('after', '\nExample: microcred module list --all')
    .action((options: CommonOptions & { all: boolean }) =>
      withCatalog('list', options, (c) => c.list({ includeRetired: options.all }), (items: ModuleView[]) => (items.length === 0 ? 'The catalog is empty. Add a module with `microcred module add`.' : items.map(line).join('\n'))),
    );
  withCommonOptions(module.command('show').description('Show a module with every field, its versions and endorsements.').argument('<moduleId>', 'the module id').option('--module-version <n>', 'show this version of the module'))
    .addHelpText('after', '\nExample: microcred module show https://hospital.example/modules/acls --module-version 1')
    .action((id: string, options: CommonOptions & { moduleVersion?: string }) => {
      const version = options.moduleVersion === undefined ? undefined : Number(options.moduleVersion);
      if (version !== undefined && !(Number.isInteger(version) && version > 0)) return runCommand('module show', options.json, () => { throw usageError('--module-version takes a positive whole number.'); });
      return withCatalog('show', options, (c) => c.show(id, version), (m: ModuleView & { versions: number[] }) => `${line(m)}\nversions ${m.versions.join(', ')}\n${JSON.stringify(m.definition, null, 2)}${m.imageUrl === undefined ? '' : `\nimage ${m.imageUrl}`}${m.endorsements.map((e) => `\nendorsed by ${e.endorser} (${e.id})`).join('')}`);
    });
  withCommonOptions(module.command('import').description('Add or edit modules from a CSV (one per row; docs/catalog.md lists the columns).').argument('<file.csv>', 'the module CSV'))
    .addHelpText('after', '\nExample: microcred module import modules.csv')
    .action((file: string, options: CommonOptions) =>
      runCommand('module import', options.json, () => {
        const text = readInputText(file, 'the module CSV');
        const ctx = openContext(options);
        try {
          const outcome = issuerServiceOf(ctx).catalog!.importCsv(text, 'cli');
          if (options.json) console.log(JSON.stringify({ ok: outcome.failed === 0, ...outcome }));
          else {
            for (const r of outcome.rows) {
              if (r.status === 'invalid') console.log(`row ${r.row}: not imported: ${r.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
              else if (r.status === 'failed') console.log(`row ${r.row}: not imported: ${r.message}`);
              else console.log(`row ${r.row}: ${r.status} ${r.id} v${r.version}`);
            }
            console.log(`${outcome.imported} imported, ${outcome.failed} not imported.`);
          }
          return outcome.failed === 0 ? EXIT.ok : EXIT.failure;
        } finally {
          ctx.close();
        }
      }),
    );
  withCommonOptions(module.command('endorse').description("Attach an accrediting body's signed EndorsementCredential (a file from `microcred endorse`); credentials issued next carry it.").argument('<moduleId>', 'the module id').argument('<file>', 'the endorsement JSON file'))
    .addHelpText('after', '\nExample: microcred module endorse https://hospital.example/modules/acls acls-endorsement.json')
    .action((id: string, file: string, options: CommonOptions) => withCatalog('endorse', options, (c) => c.endorse(id, readJson(file), 'cli'), (m: ModuleView) => `Attached: ${line(m)}`));
  return module;
}
