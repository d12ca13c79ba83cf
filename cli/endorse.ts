// `microcred endorse`: this issuer, as an accrediting body, signs an Open Badges EndorsementCredential about a module.
import { existsSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { buildEndorsement } from '../src/issuer';
import { anchorAll } from './anchor';
import { issuerServiceOf, openContext, runCommand, usageError, withChainOptions, withCommonOptions, type ChainOptions, type CommonOptions } from './context';

interface EndorseOptions extends CommonOptions, ChainOptions {
  comment: string;
  validFrom?: string;
  validUntil?: string;
  out?: string;
  force: boolean;
  anchor: boolean;
}

function dateOf(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw usageError(`${flag} must be a date such as 2027-12-31 (got "${value}").`);
  return date;
}

/** Builds the `endorse` command. Exit codes: 0 issued (and anchored with --anchor), 1 not anchored yet, 2 usage error, 3 RPC unreachable. */
export function endorseCommand(): Command {
  return withChainOptions(
    withCommonOptions(
      new Command('endorse')
        .description("Issue an EndorsementCredential about a module (its achievement id) as this data folder's issuer: the accrediting body. It is stored, anchored and revocable like any credential.")
        .argument('<achievementId>', "the endorsed module's id in the issuer's catalog")
        .requiredOption('--comment <text>', 'what the body endorses, e.g. "Accredited for 6 CPD hours"')
        .option('--valid-from <date>', 'the accreditation starts (default: now)')
        .option('--valid-until <date>', 'the accreditation lapses')
        .option('--anchor', 'seal and anchor it now (as `microcred anchor` does), and write the anchored form', false)
        .option('--out <file>', 'write the endorsement (JSON) to this file, for the issuer to attach with `microcred module endorse`')
        .option('--force', 'overwrite --out', false)
        .addHelpText('after', '\nExample: microcred endorse https://hospital.example/modules/acls --comment "Accredited for 8 CPD hours" --valid-until 2027-12-31 --anchor --out acls-endorsement.json'),
    ),
  ).action((achievementId: string, options: EndorseOptions) =>
    runCommand('endorse', options.json, async () => {
      if (options.out !== undefined && existsSync(options.out) && !options.force) throw usageError(`${options.out} exists; choose another --out or add --force.`);
      const validFrom = dateOf('--valid-from', options.validFrom);
      const validUntil = dateOf('--valid-until', options.validUntil);
      const ctx = openContext(options);
      try {
        const service = issuerServiceOf(ctx);
        const unsigned = buildEndorsement({ achievementId, comment: options.comment, ...(validFrom ? { validFrom } : {}), ...(validUntil ? { validUntil } : {}) }, service.issuer.profile, () => new Date());
        const issued = service.commit(await service.prepareCallerCredential(unsigned, { format: 'di', actor: 'cli' }));
        if (options.anchor) await anchorAll(ctx, options, false);
        const view = service.getCredentialWithAnchor(issued.credentialId);
        const document = view.anchored ?? view.credential;
        if (options.out !== undefined) writeFileSync(options.out, `${JSON.stringify(document, null, 2)}\n`);
        if (options.json) console.log(JSON.stringify({ ok: view.anchored !== null || !options.anchor, id: view.id, anchorState: view.anchorState, endorsement: document, ...(options.out ? { out: options.out } : {}) }));
        else {
          console.log(`Endorsement ${view.id} of ${achievementId} by ${service.issuer.did}: ${view.anchorState}.`);
          if (options.out !== undefined) console.log(`Written to ${options.out}; the issuer attaches it with \`microcred module endorse ${achievementId} ${options.out}\`.`);
          if (view.anchored === null) console.log('Not anchored yet: run `microcred anchor` (or keep `microcred serve` running) and fetch it again before handing it over.');
        }
        return options.anchor && view.anchored === null ? 1 : 0;
      } finally {
        ctx.close();
      }
    }),
  );
}
