// `microcred offer create`: a wallet offer (OID4VCI pre-authorized code) for a completion record, with its QR code.
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { publicBaseUrlOf } from '../src/config';
import { createOid4vciService, offerQrPng, offerQrSvg } from '../src/oid4vci';
import { issuerServiceOf, openContext, runCommand, usageError, withCommonOptions, type CommonOptions } from './context';
import { readJsonFile } from './issue';

interface OfferOptions extends CommonOptions {
  record?: string;
  credential?: string;
  pin: boolean;
  expiresIn?: string;
  qr?: string;
}

function expiresInOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isInteger(seconds)) throw usageError('--expires-in takes whole seconds, e.g. 86400 for a day.');
  return seconds;
}

/** Builds the `offer` command group. Exit codes: 0 ok, 1 failure (unknown, revoked or suspended credential), 2 usage error (unreadable or invalid record, bad flag). */
export function offerCommand(): Command {
  const offer = new Command('offer').description('Offer credentials to learners\' wallets (OpenID for Verifiable Credential Issuance).');
  withCommonOptions(
    offer
      .command('create')
      .description('Create a single-use pre-authorized code offer for a completion record or an issued credential; prints the openid-credential-offer:// link.')
      .option('--record <file>', 'a completion record as JSON (see docs/api.md); learner.did is replaced by the wallet\'s DID')
      .option('--credential <id>', 'or an issued, active credential (urn:uuid:…): the wallet gets a new credential with its content, bound to the wallet\'s DID')
      .option('--pin', 'ask the wallet for a 6-digit PIN (printed once; send it by another channel than the link)', false)
      .option('--expires-in <seconds>', 'lifetime of the offer (60 to 2592000; default 604800, a week)')
      .option('--qr <file>', 'write the link as a QR code: .svg or .png')
      .addHelpText('after', '\nExample: microcred offer create --record completion.json --pin --qr offer.svg'),
  ).action(async (options: OfferOptions) =>
    runCommand('offer create', options.json, async () => {
      const expiresInSeconds = expiresInOf(options.expiresIn);
      if (options.qr !== undefined && !/\.(svg|png)$/i.test(options.qr)) throw usageError('--qr names an .svg or .png file.');
      if ((options.record === undefined) === (options.credential === undefined)) throw usageError('Give either --record <file> or --credential <id>.');
      const record = options.record === undefined ? undefined : readJsonFile(options.record);
      const ctx = openContext(options);
      const issuer = issuerServiceOf(ctx);
      try {
        const base = publicBaseUrlOf(ctx.config);
        const service = createOid4vciService({ store: ctx.store, issuer, baseUrl: () => base });
        const common = { pin: options.pin, ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }), actor: 'cli' };
        const created = options.credential === undefined ? await service.createOffer({ ...common, record }) : await service.createOfferForCredential({ ...common, credentialId: options.credential });
        if (options.qr !== undefined) {
          if (options.qr.toLowerCase().endsWith('.png')) writeFileSync(options.qr, await offerQrPng(created.credentialOfferUri));
          else writeFileSync(options.qr, await offerQrSvg(created.credentialOfferUri));
        }
        if (options.json) {
          console.log(JSON.stringify({ ok: true, offerId: created.offerId, credentialOfferUri: created.credentialOfferUri, txCode: created.txCode, expiresAt: created.expiresAt, ...(options.qr === undefined ? {} : { qr: options.qr }) }));
          return;
        }
        console.log(created.credentialOfferUri);
        console.error(`Offer ${created.offerId} for ${base}, single use, until ${created.expiresAt}.`);
        if (created.txCode !== null) console.error(`PIN: ${created.txCode} (send it by another channel than the link; it is not shown again)`);
        if (options.qr !== undefined) console.error(`QR code written to ${options.qr}.`);
      } finally {
        await issuer.close();
        ctx.close();
      }
    }),
  );
  return offer;
}
