// `microcred token create|list|revoke`: API tokens for the issuer API (the token is printed once, only its hash is kept).
import { Command } from 'commander';
import { isMicrocredError } from '../src/errors';
import { TOKEN_SCOPES, type TokenScope } from '../src/store';
import { openContext, runCommand, usageError, withCommonOptions, type CommonOptions } from './context';

function parseScopes(text: string): TokenScope[] {
  const scopes = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = scopes.filter((s) => !TOKEN_SCOPES.includes(s as TokenScope));
  if (scopes.length === 0 || bad.length > 0) throw usageError(`--scope takes a comma-separated list of ${TOKEN_SCOPES.join(', ')}${bad.length > 0 ? ` (not ${bad.join(', ')})` : ''}.`);
  return scopes as TokenScope[];
}

/** Builds the `token` command group. Exit codes: 0 ok, 1 failure, 2 usage error (bad scope, unknown token id). */
export function tokenCommand(): Command {
  const token = new Command('token').description('Create, list and revoke API tokens of the issuer API.');
  withCommonOptions(
    token
      .command('create')
      .description('Create a token; it is printed once and cannot be shown again.')
      .addHelpText('after', '\nExample: microcred token create --name "LMS integration" --scope issue,status')
      .requiredOption('--name <name>', 'what the token is for, e.g. "LMS integration"')
      .option('--scope <scopes>', `comma-separated scopes: ${TOKEN_SCOPES.join(', ')}`, 'issue'),
  ).action(async (options: CommonOptions & { name: string; scope: string }) =>
    runCommand('token create', options.json, () => {
      const scopes = parseScopes(options.scope);
      const ctx = openContext(options);
      try {
        const created = ctx.store.createToken(options.name, scopes, 'cli');
        if (options.json) console.log(JSON.stringify({ ok: true, id: created.id, token: created.token, name: created.row.name, scopes: created.row.scopes }));
        else {
          console.log(created.token);
          console.error(`Created token ${created.id} (${created.row.scopes.join(', ')}). Store it now: it is not shown again.`);
        }
      } finally {
        ctx.close();
      }
    }),
  );
  withCommonOptions(token.command('list').description('List tokens (never their values).').addHelpText('after', '\nExample: microcred token list --json')).action(async (options: CommonOptions) =>
    runCommand('token list', options.json, () => {
      const ctx = openContext(options);
      try {
        const tokens = ctx.store.listTokens();
        if (options.json) console.log(JSON.stringify({ ok: true, tokens }));
        else if (tokens.length === 0) console.log('No tokens. Create one with `microcred token create --name <name> --scope issue`.');
        else for (const t of tokens) console.log(`${t.id}  ${t.revokedAt === null ? 'active ' : 'revoked'}  ${t.scopes.join(',').padEnd(18)}  ${t.name}`);
      } finally {
        ctx.close();
      }
    }),
  );
  withCommonOptions(token
      .command('revoke')
      .description('Revoke a token at once.')
      .argument('<id>', 'token id (from `token list`)')
      .addHelpText('after', '\nExample: microcred token revoke <id>   (the id column of `microcred token list`)')).action(async (id: string, options: CommonOptions) =>
    runCommand('token revoke', options.json, () => {
      const ctx = openContext(options);
      try {
        let row;
        try {
          row = ctx.store.revokeToken(id, 'cli');
        } catch (error) {
          if (isMicrocredError(error, 'ERR_TOKEN_NOT_FOUND')) throw usageError(`No token ${id}; see \`microcred token list\`.`);
          throw error;
        }
        if (options.json) console.log(JSON.stringify({ ok: true, token: row }));
        else console.log(`Revoked token ${row.id} (${row.name}).`);
      } finally {
        ctx.close();
      }
    }),
  );
  return token;
}
