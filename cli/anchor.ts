// `microcred anchor`: close the open batch now and anchor it (and anything unfinished), then print the batches.
import { Command } from 'commander';
import { createAnchorer } from '../src/anchoring';
import { deliveryChannelsOf } from '../src/delivery';
import type { BatchRow } from '../src/store';
import { EXIT, chainKey, connectRegistry, openContext, runCommand, withChainOptions, withCommonOptions, type ChainOptions, type CliContext, type CommonOptions } from './context';
import { DEV_ISSUER_ACCOUNT as DEV_ANCHOR_ACCOUNT } from '../src/chain';


function describe(batch: BatchRow): string {
  return batch.state === 'anchored'
    ? `batch ${batch.id}: anchored ${batch.leafCount} credential(s), root ${batch.root}, tx ${batch.txHash} in block ${batch.blockNumber}`
    : `batch ${batch.id}: ${batch.state}${batch.lastError === null ? '' : ` (${batch.lastError})`}`;
}

/**
 * Seals the open batch of the data folder and anchors it and every unfinished or failed batch (and, with `reconcile`,
 * roots the chain lost), with the anchoring key of `options`; returns the batches it touched. Shared with `endorse --anchor`.
 */
export async function anchorAll(ctx: CliContext, options: ChainOptions, reconcile: boolean): Promise<{ batches: BatchRow[]; summary: Awaited<ReturnType<ReturnType<typeof createAnchorer>['anchorNow']>> }> {
  const registry = await connectRegistry(ctx.config, options, chainKey(ctx.config, options, DEV_ANCHOR_ACCOUNT));
  try {
    const anchorer = createAnchorer({
      store: ctx.store,
      // The server's delivery worker sends what this queues (same rule as the server: src/delivery/channels.ts).
      deliveryChannels: deliveryChannelsOf(ctx.config),
      registry,
      chainId: registry.chainId,
      registryAddress: registry.address,
      confirmations: ctx.config.chain.confirmations,
      batch: { maxLeaves: ctx.config.batch.maxLeaves, maxAgeMs: ctx.config.batch.maxAgeSeconds * 1000 },
    });
    // An operator running `anchor` has fixed what parked a batch as failed (e.g. a suspended issuer): retry those too.
    const requeued = ctx.store.listBatches({ state: 'failed', limit: 1000 }).items.map((b) => ctx.store.requeueBatch(b.id).id);
    if (reconcile) requeued.push(...(await anchorer.requeueMissingAnchors()));
    const summary = await anchorer.anchorNow();
    const ids = [...new Set([...requeued, ...summary.sealed, ...summary.anchored, ...summary.failed])].sort((a, b) => a - b);
    return { batches: ids.map((id) => ctx.store.getBatch(id)).filter((b): b is BatchRow => b !== null), summary };
  } finally {
    registry.close();
  }
}

/** Builds the `anchor` command. Exit codes (docs/cli.md): 0 everything anchored (or nothing to do); 1 a batch is not anchored yet; 2 usage error; 3 RPC unreachable. */
export function anchorCommand(): Command {
  return withChainOptions(
    withCommonOptions(
      new Command('anchor')
        .description('Seal the open batch now and anchor it on chain (retrying failed batches); print the batches.')
        .addHelpText('after', '\nExample: microcred anchor --data ./.data   (development setup: no --rpc or --registry needed)')
        .option('--reconcile', 'also check every anchored batch against the chain and anchor again any root it lost (after a deep reorganisation)', false),
    ),
  ).action(
    async (options: CommonOptions & ChainOptions & { reconcile: boolean }) =>
      runCommand('anchor', options.json, async () => {
        const ctx = openContext(options);
        try {
          const { batches, summary } = await anchorAll(ctx, options, options.reconcile);
          const pending = batches.filter((b) => b.state !== 'anchored');
          if (options.json) console.log(JSON.stringify({ ok: pending.length === 0, batches, summary }));
          else if (batches.length === 0) console.log('Nothing to anchor: no open or unfinished batch.');
          else for (const b of batches) console.log(describe(b));
          if (pending.length > 0) process.exitCode = EXIT.failure;
        } finally {
          ctx.close();
        }
      }),
  );
}
