// `microcred revoke|suspend|reinstate <credential-id>`: records the status change; the anchoring outbox puts it on chain.
import { Command } from 'commander';
import type { StatusAction } from '../src/store';
import { openContext, runCommand, withCommonOptions, type CommonOptions } from './context';

const DESCRIPTIONS: Record<StatusAction, string> = {
  revoke: 'Revoke a credential for good.',
  suspend: 'Suspend a credential (reinstate it later).',
  reinstate: 'Reinstate a suspended credential.',
};

function statusCommand(action: StatusAction): Command {
  return withCommonOptions(
    new Command(action)
      .description(`${DESCRIPTIONS[action]} Carried out on chain once the credential's batch is anchored.`)
      .argument('<credential-id>', 'urn:uuid:… or the bare UUID')
      .requiredOption('--reason-code <word>', 'issued_in_error, superseded, misconduct, expired, holder_request, key_compromise, under_review, resolved, unspecified')
      .option('--reason <text>', 'free text for the audit log (stays off chain)')
      .addHelpText('after', `\nExample: microcred ${action} urn:uuid:3f2a9c1e-7b4d-4e8a-9c6f-2d1e0b5a7c93 --reason-code ${action === 'reinstate' ? 'resolved' : action === 'suspend' ? 'under_review' : 'issued_in_error'} --reason "wrong recipient"`),
  ).action(async (id: string, options: CommonOptions & { reasonCode: string; reason?: string }) =>
    runCommand(action, options.json, () => {
      const credentialId = /^[0-9a-f-]{36}$/i.test(id) ? `urn:uuid:${id.toLowerCase()}` : id;
      const ctx = openContext(options);
      try {
        const change = ctx.store.requestStatusChange({ credentialId, action, reasonCode: options.reasonCode, reasonText: options.reason ?? null, actor: 'cli' });
        if (options.json) console.log(JSON.stringify({ ok: true, statusChange: change }));
        else console.log(`Recorded ${action} of ${credentialId} (change ${change.id}, ${change.state}); the anchoring worker carries it to the chain.`);
      } finally {
        ctx.close();
      }
    }),
  );
}

/**
 * The `revoke`, `suspend` and `reinstate` commands. Exit codes: 0 recorded; 1 failure (unknown credential, a
 * transition that does not apply such as reinstating a revoked credential); 2 usage error.
 */
export function statusCommands(): Command[] {
  return (['revoke', 'suspend', 'reinstate'] as const).map(statusCommand);
}
