// `microcred share show|disable|enable <credential-id>`: a credential's public share link, and turning it off or on.
import { Command } from 'commander';
import { publicBaseUrlOf } from '../src/config';
import type { ShareInfo } from '../src/issuer';
import { buildShareService } from '../src/runtime';
import { openContext, runCommand, withCommonOptions, type CommonOptions } from './context';

/** `urn:uuid:…` from the argument, which may be the bare UUID. */
export function credentialIdArg(id: string): string {
  return /^[0-9a-f-]{36}$/i.test(id) ? `urn:uuid:${id.toLowerCase()}` : id;
}

function describe(info: ShareInfo): string {
  const state = info.enabled ? (info.ready ? 'enabled' : 'enabled, not ready yet (waiting for anchoring)') : 'disabled (answers 404)';
  return `${info.url}\n  ${state}\n  LinkedIn: ${info.linkedinUrl}`;
}

function shareAction(name: 'show' | 'disable' | 'enable', description: string): Command {
  const command = new Command(name).description(description).argument('<credential-id>', 'urn:uuid:… or the bare UUID');
  command.addHelpText('after', `\nExample: microcred share ${name} urn:uuid:6f1c2a3b-5d4e-4f60-8a71-92b3c4d5e6f7 --data ./microcred-data`);
  return withCommonOptions(command).action(
    async (id: string, options: CommonOptions) =>
      runCommand(`share ${name}`, options.json, () => {
        const ctx = openContext(options);
        try {
          const base = publicBaseUrlOf(ctx.config);
          const share = buildShareService({ config: ctx.config, store: ctx.store, baseUrl: () => base });
          const credentialId = credentialIdArg(id);
          const info = name === 'show' ? share.info(credentialId, 'cli') : share.setEnabled(credentialId, name === 'enable', 'cli');
          console.log(options.json ? JSON.stringify({ ok: true, share: info }) : describe(info));
        } finally {
          ctx.close();
        }
      }),
  );
}

/**
 * The `share` command. Exit codes: 0 done; 1 unknown credential; 2 usage error. The link is made on first use and
 * stays the same when disabled and re-enabled, so a printed QR code works again.
 */
export function shareCommand(): Command {
  return new Command('share')
    .description('Show, disable or re-enable the public share link of a credential (/c/{id}).')
    .addCommand(shareAction('show', 'Print the share link (made on first use), its state and the LinkedIn "Add to profile" URL.'))
    .addCommand(shareAction('disable', 'Turn the link off: /c/{id} and its downloads answer 404 until it is enabled again.'))
    .addCommand(shareAction('enable', 'Turn the link on again (the same link as before).'));
}
