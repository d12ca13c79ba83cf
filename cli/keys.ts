// `microcred keys list|rotate`: the issuer's signing keys (public facts only), rotation of a did:web key in place, and
// rotation of the anchoring key (the registry operator).
import { Command } from 'commander';
import { Wallet } from 'ethers';
import { accountPrivateKey, DEV_ACCREDITOR_ACCOUNT, readPrivateKeyFile, rotateOperator } from '../src/chain';
import { MicrocredError } from '../src/errors';
import { loadOrCreateIssuerKeyring, rotateIssuerKeyring } from '../src/issuer';
import { didWebFor } from '../src/did';
import type { IssuerKeyRow } from '../src/store';
import { chainKey, connectRegistry, openContext, runCommand, usageError, withChainOptions, withCommonOptions, type ChainOptions, type CliContext, type CommonOptions } from './context';

/** What `keys list` shows of a key: never its private part, nor the sealed box. */
interface KeyFacts {
  kid: string;
  controller: string;
  algorithm: string;
  created: string;
  state: 'active' | 'retired';
  retired: string | null;
}

function factsOf(row: IssuerKeyRow): KeyFacts {
  return { kid: row.kid, controller: row.controller, algorithm: row.algorithm, created: row.createdAt, state: row.active ? 'active' : 'retired', retired: row.retiredAt };
}

/** The DID the configuration names, when it can be known without the key (did:web); did:key is read from the store. */
function configuredDid(ctx: CliContext): string | undefined {
  const { issuer } = ctx.config;
  if (issuer.didMethod !== 'web' || issuer.didDomain === undefined) return undefined;
  return didWebFor(issuer.didDomain, issuer.didPath);
}

function list(ctx: CliContext, json: boolean | undefined): void {
  const did = configuredDid(ctx);
  const keys = ctx.store.listIssuerKeys(did).map(factsOf);
  if (json) {
    console.log(JSON.stringify({ ok: true, ...(did === undefined ? {} : { did }), keys }));
    return;
  }
  if (keys.length === 0) {
    console.log('No signing key yet. Create one with `microcred init` (or start `microcred serve` once).');
    return;
  }
  for (const key of keys) console.log(`${key.state.padEnd(7)}  ${key.algorithm.padEnd(7)}  created ${key.created}${key.retired === null ? '' : `  retired ${key.retired}`}  ${key.kid}`);
}

function rotateKey(ctx: CliContext, json: boolean | undefined): void {
  const { issuer } = ctx.config;
  if (issuer.didMethod === 'key') {
    throw new MicrocredError(
      'ERR_ROTATE_DID_KEY',
      'This issuer uses did:key, and a did:key DID is its key: it cannot rotate in place. A new key would be a new issuer DID, ' +
        'which the accreditor must register again (`microcred registry add-issuer`), and verifiers would see a different issuer. ' +
        'For rotation, use did:web (`microcred init --did-method web --did-domain <domain>` in a new data folder, and serve ' +
        '/.well-known/did.json at that domain); credentials already issued under the did:key DID keep verifying.',
    );
  }
  const did = configuredDid(ctx);
  if (did === undefined || ctx.store.listIssuerKeys(did).length === 0) {
    throw new MicrocredError('ERR_KEY_NOT_FOUND', `There is no signing key for ${did ?? 'this issuer'} to rotate yet; run \`microcred init\` first.`);
  }
  const { keyring } = loadOrCreateIssuerKeyring(ctx.store, {
    didMethod: 'web',
    ...(issuer.didDomain === undefined ? {} : { domain: issuer.didDomain }),
    ...(issuer.didPath === undefined ? {} : { path: issuer.didPath }),
    profile: { name: issuer.name, url: issuer.url },
    actor: 'cli',
  });
  const before = keyring.signingKey.id;
  const rotated = rotateIssuerKeyring(ctx.store, keyring, 'cli');
  const active = rotated.signingKey.id;
  const published = rotated.verificationMethods.map((vm) => vm.id);
  if (json) {
    console.log(JSON.stringify({ ok: true, did: rotated.did, active, retired: before, published, restartRequired: true }));
    return;
  }
  console.log(`New signing key ${active}`);
  console.log(`Retired ${before}; it stays published in ${rotated.did}'s DID document, so credentials it signed keep verifying.`);
  console.log('Restart `microcred serve` so it signs with the new key and serves the new DID document.');
}

/** Options of `keys rotate`. */
type RotateOptions = CommonOptions & ChainOptions & { anchoringKey?: string; oldOperator?: string };

/**
 * `keys rotate --anchoring-key <file>`: makes the key in `file` an operator of this issuer and removes the current
 * anchoring key (or --old-operator), signed by the issuer's admin (--key-file; dev: account #0). The signing key is
 * left alone. Old credentials stay revocable by the new key: operators act for all of the issuer's roots.
 */
async function rotateAnchoringKey(ctx: CliContext, options: RotateOptions & { anchoringKey: string }): Promise<void> {
  const did = configuredDid(ctx);
  const keys = ctx.store.listIssuerKeys(did);
  if (keys.length === 0) throw new MicrocredError('ERR_KEY_NOT_FOUND', `There is no issuer key for ${did ?? 'this issuer'} yet, so its DID is unknown; run \`microcred init\` first.`);
  const issuerDid = keys[0]!.controller;
  const newOperator = new Wallet(readPrivateKeyFile(options.anchoringKey)).address;
  if (options.oldOperator !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(options.oldOperator)) throw usageError(`${options.oldOperator} is not a 0x address (--old-operator).`);
  const oldOperator = options.oldOperator ?? new Wallet(accountPrivateKey(ctx.config)).address;
  const registry = await connectRegistry(ctx.config, options, chainKey(ctx.config, options, DEV_ACCREDITOR_ACCOUNT));
  try {
    const done = await rotateOperator(registry, issuerDid, oldOperator, newOperator);
    if (options.json) {
      console.log(JSON.stringify({ ok: true, did: issuerDid, issuerId: done.issuerId, added: done.added, removed: done.removed, addTx: done.addTx?.hash ?? null, removeTx: done.removeTx?.hash ?? null, restartRequired: true }));
      return;
    }
    console.log(`Operator ${done.added} now anchors and changes statuses for ${issuerDid}${done.addTx === null ? ' (it already did)' : ''}.`);
    console.log(`Removed ${done.removed}${done.removeTx === null ? ' (it was no operator any more)' : ''}: it has no power over this issuer's credentials now.`);
    console.log(`Point anchoringKey at ${options.anchoringKey} and restart \`microcred serve\`; credentials anchored with the old key stay valid and revocable.`);
  } finally {
    registry.close();
  }
}

/**
 * Builds the `keys` command group. Exit codes (docs/cli.md): 0 done; 1 refused or failed (did:key cannot rotate:
 * ERR_ROTATE_DID_KEY; no key yet: ERR_KEY_NOT_FOUND; wrong secret); 2 usage error (bad option or configuration).
 */
export function keysCommand(): Command {
  const keys = new Command('keys').description("List and rotate the issuer's signing keys.");
  withCommonOptions(keys
      .command('list')
      .description('List signing keys: id, algorithm, created, active or retired (never private material).')
      .addHelpText('after', '\nExample: microcred keys list --data /var/lib/microcred')).action(
    async (options: CommonOptions) =>
      runCommand('keys list', options.json, () => {
        const ctx = openContext(options);
        try {
          list(ctx, options.json);
        } finally {
          ctx.close();
        }
      }),
  );
  withChainOptions(
    withCommonOptions(
      keys
        .command('rotate')
        .description(
          'did:web only: make a new key the signing key; the old one stays published. With --anchoring-key: rotate the ' +
            "anchoring key instead (adds it as the issuer's registry operator, removes the current one; --key-file is the issuer admin's key). " +
            'Takes effect when `serve` restarts.',
        )
        .option('--anchoring-key <file>', 'rotate the anchoring key to the private key in this file (chmod 600)')
        .option('--old-operator <address>', 'the operator to remove (default: the address of the configured anchoring key)')
        .addHelpText('after', '\nExamples: microcred keys rotate --data /var/lib/microcred   (did:web signing key)\n          microcred keys rotate --anchoring-key new-anchor.key --key-file issuer-admin.key   (anchoring key)'),
    ),
  ).action(async (options: RotateOptions) =>
    runCommand('keys rotate', options.json, async () => {
      const ctx = openContext(options);
      try {
        if (options.anchoringKey !== undefined) await rotateAnchoringKey(ctx, { ...options, anchoringKey: options.anchoringKey });
        else rotateKey(ctx, options.json);
      } finally {
        ctx.close();
      }
    }),
  );
  return keys;
}
