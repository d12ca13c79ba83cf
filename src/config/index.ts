// Configuration: schema, environment variables and the loader.
export { configSchema, type MicrocredConfig } from './schema';
export { ENV_VARIABLES, type EnvVariable } from './env';
export { DATA_FOLDER_CONFIG, loadConfig, type ConfigIssue, type LoadConfigOptions, type RawSettings } from './load';
export { configTableMarkdown } from './table';
export { publicBaseUrlOf } from './public-url';
