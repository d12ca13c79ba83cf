// `microcred keys list|rotate`: the issuer's signing keys (public facts only) and rotation of a did:web key in place.
import { Command } from 'commander';
import { MicrocredError } from '../src/errors';
import { loadOrCreateIssuerKeyring, rotateIssuerKeyring } from '../src/issuer';
import { didWebFor } from '../src/did';
import type { IssuerKeyRow } from '../src/store';
import { openContext, runCommand, withCommonOptions, type CliContext, type CommonOptions } from './context';

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

/**
 * Builds the `keys` command group. Exit codes (docs/cli.md): 0 done; 1 refused or failed (did:key cannot rotate:
 * ERR_ROTATE_DID_KEY; no key yet: ERR_KEY_NOT_FOUND; wrong secret); 2 usage error (bad option or configuration).
 */
export function keysCommand(): Command {
  const keys = new Command('keys').description("List and rotate the issuer's signing keys.");
  withCommonOptions(keys.command('list').description('List signing keys: id, algorithm, created, active or retired (never private material).')).action(
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
  withCommonOptions(
    keys
      .command('rotate')
      .description('did:web only: make a new key the signing key; the old one stays published. Takes effect when `serve` restarts.'),
  ).action(async (options: CommonOptions) =>
    runCommand('keys rotate', options.json, () => {
      const ctx = openContext(options);
      try {
        rotateKey(ctx, options.json);
      } finally {
        ctx.close();
      }
    }),
  );
  return keys;
}
