// Renders the environment variables as the Markdown table the README shows.
import { ENV_VARIABLES } from './env';

/** The configuration table: variable, config-file field and meaning. */
export function configTableMarkdown(): string {
  const rows = ENV_VARIABLES.map((v) => `| \`${v.name}\` | \`${v.path.join('.')}\` | ${v.description} |`);
  return ['| variable | config file field | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
