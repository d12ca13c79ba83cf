// `microcred status reconcile|export`: compare and repair database, lists and chain; save the signed lists for offline verifiers.
import path from 'node:path';
import { Command } from 'commander';
import { publicBaseUrlOf } from '../src/config';
import { defaultDocumentLoader } from '../src/contexts';
import { loadOrCreateIssuerKeyring } from '../src/issuer';
import { DEV_ISSUER_ACCOUNT as DEV_ANCHOR_ACCOUNT } from '../src/chain';
import { createStatusListPublisher, reconcileStatuses, writeStatusListFolder, type StatusListPublisher } from '../src/status';
import { EXIT, chainKey, connectRegistry, openContext, runCommand, withChainOptions, withCommonOptions, type ChainOptions, type CliContext, type CommonOptions } from './context';

function publisherOf(ctx: CliContext): StatusListPublisher {
  const { issuer } = ctx.config;
  const { keyring } = loadOrCreateIssuerKeyring(ctx.store, {
    didMethod: issuer.didMethod,
    ...(issuer.didDomain === undefined ? {} : { domain: issuer.didDomain }),
    ...(issuer.didPath === undefined ? {} : { path: issuer.didPath }),
    profile: { name: issuer.name, url: issuer.url },
    actor: 'cli',
  });
  const base = publicBaseUrlOf(ctx.config);
  return createStatusListPublisher({ lists: ctx.store.statusLists, keyring, loader: defaultDocumentLoader(), baseUrl: () => base });
}

function reconcileCommand(): Command {
  return withChainOptions(
    withCommonOptions(
      new Command('reconcile')
        .description('Compare the database, the published status lists and the chain; repair what differs (list bits follow the database, changes the chain lost are sent again).')
        .addHelpText('after', '\nExample: microcred status reconcile --dry-run   (development setup: no --rpc or --registry needed)')
        .option('--dry-run', 'only report', false)
        .option('--no-chain', 'do not compare with the chain'),
    ),
  ).action(async (options: CommonOptions & ChainOptions & { dryRun: boolean; chain: boolean }) =>
    runCommand('status reconcile', options.json, async () => {
      const ctx = openContext(options);
      const registryKnown = options.registry !== undefined || ctx.config.chain.registryAddress !== undefined;
      const registry = options.chain && registryKnown ? await connectRegistry(ctx.config, options, chainKey(ctx.config, options, DEV_ANCHOR_ACCOUNT)).catch((e: unknown) => { ctx.close(); throw e; }) : undefined;
      try {
        const account = registry ? await registry.signerAddress() : undefined;
        const report = await reconcileStatuses({
          store: ctx.store,
          repair: !options.dryRun,
          publisher: publisherOf(ctx),
          ...(registry && account ? { chainStatus: async (leaf: string) => (await registry.leafStateOf(account, leaf)).status } : {}),
        });
        const open = report.differences.filter((d) => !d.repaired);
        if (options.json) console.log(JSON.stringify({ ok: open.length === 0, chainCompared: registry !== undefined, ...report }));
        else {
          console.log(`Checked ${report.credentials} credential(s) in ${report.lists} list(s)${registry ? `, ${report.chainChecked} against the chain` : ' (chain not compared: no registry configured or --no-chain)'}.`);
          for (const d of report.differences) console.log(`${d.repaired ? 'repaired' : 'found'}: ${d.message}`);
          if (report.differences.length === 0) console.log('Database, lists and chain agree.');
        }
        if (open.length > 0) process.exitCode = EXIT.failure;
      } finally {
        registry?.close();
        ctx.close();
      }
    }),
  );
}

function exportCommand(): Command {
  return withCommonOptions(
    new Command('export').description('Write the current signed status lists into a folder, for `microcred verify --status-lists <folder>`.').argument('<folder>', 'where to write <list>.json / <list>.jwt')
      .addHelpText('after', '\nExample: microcred status export ./status-lists   (then: microcred verify --status-lists ./status-lists <files>)'),
  ).action(async (folder: string, options: CommonOptions) =>
    runCommand('status export', options.json, async () => {
      const ctx = openContext(options);
      try {
        const lists = await publisherOf(ctx).all();
        const files = writeStatusListFolder(path.resolve(folder), lists);
        if (options.json) console.log(JSON.stringify({ ok: true, lists: lists.map((l, i) => ({ id: l.id, url: l.url, revision: l.revision, file: files[i] })) }));
        else console.log(lists.length === 0 ? 'No status lists yet: issue a credential first.' : `Wrote ${lists.length} signed status list(s) to ${path.resolve(folder)}.`);
      } finally {
        ctx.close();
      }
    }),
  );
}

/**
 * The `status` command group. Exit codes: 0 everything agrees (or was repaired) / exported; 1 a difference remains
 * or a failure; 2 usage error.
 */
export function statusListCommand(): Command {
  return new Command('status').description('Bitstring Status Lists: reconcile them with the database and the chain, or export them.').addCommand(reconcileCommand()).addCommand(exportCommand());
}
