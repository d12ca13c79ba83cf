// Loads the configuration: defaults < config file < MICROCRED_* environment < explicit overrides, then checks it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MicrocredError } from '../errors';
import { ENV_VARIABLES } from './env';
import { configSchema, type MicrocredConfig } from './schema';

/** Plain nested settings as they come from a file, the environment or command-line flags. */
export type RawSettings = Record<string, unknown>;

/** Where settings come from; all optional, and the environment is injected so tests need not touch process.env. */
export interface LoadConfigOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A JSON config file; `MICROCRED_CONFIG` names one when this is absent, else `<data folder>/config.json` if it exists. */
  readonly file?: string;
  /** Highest precedence, for example command-line flags. */
  readonly overrides?: RawSettings;
}

/** One problem with the configuration, naming the field and the variable that sets it. */
export interface ConfigIssue {
  readonly field: string;
  readonly variable?: string;
  readonly message: string;
}

/** Loads and checks the configuration. Throws ERR_CONFIG_INVALID listing every bad field, or ERR_CONFIG_FILE. */
export function loadConfig(options: LoadConfigOptions = {}): MicrocredConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? nonEmpty(env.MICROCRED_CONFIG) ?? dataFolderConfig(options.overrides?.dataDir ?? env.MICROCRED_DATA);
  const merged: RawSettings = {};
  if (file !== undefined) deepMerge(merged, readConfigFile(file));
  for (const variable of ENV_VARIABLES) {
    const value = env[variable.name];
    if (value !== undefined && value !== '') setPath(merged, variable.path, variable.parse(value));
  }
  if (options.overrides) deepMerge(merged, options.overrides);

  const parsed = configSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const issues: ConfigIssue[] = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.');
    const variable = ENV_VARIABLES.find((v) => v.path.join('.') === field)?.name;
    return variable === undefined ? { field, message: issue.message } : { field, variable, message: issue.message };
  });
  const lines = issues.map((i) => `  - ${i.field}${i.variable ? ` (${i.variable})` : ''}: ${i.message}`);
  throw new MicrocredError('ERR_CONFIG_INVALID', `The configuration is not usable:\n${lines.join('\n')}`, {
    details: { issues },
  });
}

/** Name of the config file `microcred init` writes into the data folder. */
export const DATA_FOLDER_CONFIG = 'config.json';

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** `<data folder>/config.json` when it exists (the folder from --data, MICROCRED_DATA or the default). */
function dataFolderConfig(dataDir: unknown): string | undefined {
  const candidate = path.join(typeof dataDir === 'string' && dataDir !== '' ? dataDir : configSchema.parse({}).dataDir, DATA_FOLDER_CONFIG);
  return existsSync(candidate) ? candidate : undefined;
}

function readConfigFile(file: string): RawSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new MicrocredError('ERR_CONFIG_FILE', `Cannot read the config file ${file}: check the path and permissions.`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new MicrocredError('ERR_CONFIG_FILE', `The config file ${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (!isPlainObject(value)) {
    throw new MicrocredError('ERR_CONFIG_FILE', `The config file ${file} must hold a JSON object.`);
  }
  // deepMerge recurses, so a hostile file nested 100,000 deep would overflow the stack; no setting is that deep.
  if (nestedDeeperThan(value, MAX_CONFIG_DEPTH)) {
    throw new MicrocredError('ERR_CONFIG_FILE', `The config file ${file} is nested more than ${MAX_CONFIG_DEPTH} levels deep; no setting is.`);
  }
  return value;
}

/** Deepest nesting a config file may have (the deepest setting is 3 levels down). */
const MAX_CONFIG_DEPTH = 16;

/** True when `value` nests objects or arrays deeper than `max`; iterative, so it cannot overflow itself. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

function isPlainObject(value: unknown): value is RawSettings {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys that would reach Object.prototype; a config file is not allowed to use them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function deepMerge(target: RawSettings, source: RawSettings): void {
  for (const [key, value] of Object.entries(source)) {
    if (FORBIDDEN_KEYS.has(key)) continue;
    const existing = target[key];
    if (isPlainObject(value)) {
      const into = isPlainObject(existing) ? existing : (target[key] = {});
      deepMerge(into, value);
    } else {
      target[key] = value;
    }
  }
}

function setPath(target: RawSettings, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = isPlainObject(next) ? next : (node[key] = {});
  }
  node[path[path.length - 1]!] = value;
}
