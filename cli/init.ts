// `microcred init`: prepares a data folder: secret, database, issuer key and a config file to edit.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { DATA_FOLDER_CONFIG } from '../src/config';
import { loadOrCreateIssuerKeyring, SECRET_BESIDE_DATABASE_WARNING } from '../src/issuer';
import { openContext, runCommand, withCommonOptions, type CommonOptions } from './context';

interface InitOptions extends CommonOptions {
  issuerName?: string;
  issuerUrl?: string;
  didMethod?: string;
  didDomain?: string;
  didPath?: string;
}

/** Writes `content` to `file` through a temp file and a rename, so a crash never leaves half a file. */
function writeAtomically(file: string, content: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  renameSync(temp, file);
}

/** Builds the `init` command. Exit codes: 0 ready, 1 failure, 2 usage error (bad option or configuration). */
export function initCommand(): Command {
  return withCommonOptions(
    new Command('init')
      .description('Create the data folder: secret, database, issuer signing key, and config.json to edit.')
      .addHelpText('after', '\nExample: microcred init --data ./.data --issuer-name "St Example Teaching Hospital" --issuer-url https://www.example.edu')
      .option('--issuer-name <name>', 'the institution, as credentials and the registry will name it')
      .option('--issuer-url <url>', "the institution's web site")
      .option('--did-method <method>', 'key (development) or web (production)')
      .option('--did-domain <domain>', 'domain serving /.well-known/did.json, for did:web')
      .option('--did-path <path>', 'optional path under that domain, for did:web'),
  ).action(async (options: InitOptions) =>
    runCommand('init', options.json, () => {
      const issuer: Record<string, string> = {};
      if (options.issuerName !== undefined) issuer.name = options.issuerName;
      if (options.issuerUrl !== undefined) issuer.url = options.issuerUrl;
      if (options.didMethod !== undefined) issuer.didMethod = options.didMethod;
      if (options.didDomain !== undefined) issuer.didDomain = options.didDomain;
      if (options.didPath !== undefined) issuer.didPath = options.didPath;
      const ctx = openContext({ ...options, overrides: Object.keys(issuer).length > 0 ? { issuer } : {} });
      try {
        const { config } = ctx;
        const { keyring, created } = loadOrCreateIssuerKeyring(ctx.store, {
          didMethod: config.issuer.didMethod,
          ...(config.issuer.didDomain === undefined ? {} : { domain: config.issuer.didDomain }),
          ...(config.issuer.didPath === undefined ? {} : { path: config.issuer.didPath }),
          profile: { name: config.issuer.name, url: config.issuer.url },
          actor: 'cli',
        });
        const configFile = path.join(ctx.dataDir, DATA_FOLDER_CONFIG);
        const wroteConfig = !existsSync(configFile);
        if (wroteConfig) writeAtomically(configFile, `${JSON.stringify({ ...config, dataDir: ctx.dataDir }, null, 2)}\n`);
        // The secret beside the database protects nothing against a copied folder: say so rather than stay silent.
        const besideDatabase = ctx.secret.source !== 'env' && path.dirname(ctx.secret.file) === ctx.dataDir;
        const secret = { source: ctx.secret.source, ...(ctx.secret.source === 'env' ? {} : { file: ctx.secret.file }), besideDatabase, ...(besideDatabase ? { warning: SECRET_BESIDE_DATABASE_WARNING } : {}) };
        if (options.json) {
          console.log(JSON.stringify({ ok: true, dataDir: ctx.dataDir, did: keyring.did, keyCreated: created, configFile, configWritten: wroteConfig, secret }));
          return;
        }
        console.log(`Data folder  ${ctx.dataDir}`);
        console.log(`Issuer DID   ${keyring.did} (${created ? 'new signing key' : 'existing signing key'})`);
        console.log(`Config       ${configFile}${wroteConfig ? ' (written; edit it for production)' : ' (kept as it was)'}`);
        console.log(`Secret       ${ctx.secret.source === 'env' ? 'MICROCRED_SECRET' : ctx.secret.file}${besideDatabase ? ' (beside the database)' : ''}`);
        if (besideDatabase) console.log(`\nWarning: ${SECRET_BESIDE_DATABASE_WARNING}`);
        console.log('\nNext: `microcred serve` here, or for a real chain see docs/production.md (registry, add-issuer).');
      } finally {
        ctx.close();
      }
    }),
  );
}
