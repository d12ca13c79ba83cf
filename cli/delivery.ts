// `microcred delivery list|retry`: the delivery outbox's jobs (webhook, email), and sending failed ones again.
import { Command } from 'commander';
import { DELIVERY_CHANNELS, type DeliveryChannel, type DeliveryJobRow, type DeliveryJobState } from '../src/store';
import { EXIT, openContext, runCommand, usageError, withCommonOptions, type CommonOptions } from './context';

const STATES: readonly DeliveryJobState[] = ['pending', 'sending', 'sent', 'failed'];

function describe(job: DeliveryJobRow): string {
  const error = job.lastError === null || job.state === 'sent' ? '' : `  ${job.lastError}`;
  return `${String(job.id).padStart(5)}  ${job.channel.padEnd(7)}  ${job.state.padEnd(7)}  tries ${job.attempts}  ${job.credentialId}${error}`;
}

/** Builds the `delivery` command group. Exit codes: 0 ok; 1 `list --state failed` found failed jobs, or retry refused; 2 usage error. */
export function deliveryCommand(): Command {
  const delivery = new Command('delivery').description('List the delivery outbox (webhooks and emails of anchored credentials) and retry failed jobs.');
  withCommonOptions(
    delivery
      .command('list')
      .description('List delivery jobs, newest first.')
      .option('--state <state>', `only jobs in this state: ${STATES.join(', ')}`)
      .option('--channel <channel>', `only this channel: ${DELIVERY_CHANNELS.join(', ')}`)
      .option('--limit <n>', 'at most this many (1-1000)', '50')
      .addHelpText('after', '\nExample: microcred delivery list --state failed --channel email'),
  ).action(async (options: CommonOptions & { state?: string; channel?: string; limit: string }) =>
    runCommand('delivery list', options.json, () => {
      if (options.state !== undefined && !STATES.includes(options.state as DeliveryJobState)) throw usageError(`--state is one of ${STATES.join(', ')}.`);
      if (options.channel !== undefined && !DELIVERY_CHANNELS.includes(options.channel as DeliveryChannel)) throw usageError(`--channel is one of ${DELIVERY_CHANNELS.join(', ')}.`);
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw usageError('--limit is a whole number from 1 to 1000.');
      const ctx = openContext(options);
      try {
        const { items } = ctx.store.listDeliveryJobs({
          limit,
          ...(options.state === undefined ? {} : { state: options.state as DeliveryJobState }),
          ...(options.channel === undefined ? {} : { channel: options.channel as DeliveryChannel }),
        });
        if (options.json) console.log(JSON.stringify({ ok: true, jobs: items }));
        else if (items.length === 0) console.log('No delivery jobs. Jobs are queued when a batch is anchored, for each configured channel (webhook URL, SMTP server).');
        else for (const job of items) console.log(describe(job));
        // A script asking for failed jobs learns from the exit code whether there are any.
        if (options.state === 'failed' && items.length > 0) process.exitCode = EXIT.failure;
      } finally {
        ctx.close();
      }
    }),
  );
  withCommonOptions(
    delivery
      .command('retry')
      .description('Send failed jobs again (the running server picks them up within a second).')
      .argument('[id]', 'job id (from `delivery list`)')
      .option('--all-failed', 'every failed job', false)
      .addHelpText('after', '\nExamples:\n  microcred delivery retry 42\n  microcred delivery retry --all-failed'),
  ).action(async (id: string | undefined, options: CommonOptions & { allFailed: boolean }) =>
    runCommand('delivery retry', options.json, () => {
      if ((id === undefined) === !options.allFailed) throw usageError('Give one job id, or --all-failed.');
      if (id !== undefined && !/^\d{1,15}$/.test(id)) throw usageError(`The job id is a number (see \`microcred delivery list\`), not "${id}".`);
      const ctx = openContext(options);
      try {
        const ids = id === undefined ? ctx.store.retryFailedDeliveryJobs('cli') : [ctx.store.retryDeliveryJob(Number(id), 'cli').id];
        if (options.json) console.log(JSON.stringify({ ok: true, retried: ids }));
        else console.log(ids.length === 0 ? 'No failed delivery jobs.' : `Queued again: ${ids.join(', ')}. The running server sends them.`);
      } finally {
        ctx.close();
      }
    }),
  );
  return delivery;
}
