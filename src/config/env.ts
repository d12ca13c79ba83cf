// Maps MICROCRED_* environment variables onto configuration fields: one table, used by the loader and the docs.

/** How one variable's text becomes a value. */
type Parse = (text: string) => unknown;

const text: Parse = (value) => value;
const number: Parse = (value) => (value.trim() === '' || Number.isNaN(Number(value)) ? value : Number(value));
const list: Parse = (value) => value.split(',').map((item) => item.trim()).filter((item) => item !== '');
// Malformed JSON is passed on as text, so the schema names the variable in its error.
const json: Parse = (value) => {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};
const boolean: Parse = (value) => (/^(1|true|yes)$/i.test(value) ? true : /^(0|false|no)$/i.test(value) ? false : value);

/** One environment variable: its name, the config path it sets, how it is parsed, and one line for the docs. */
export interface EnvVariable {
  readonly name: string;
  readonly path: readonly string[];
  readonly parse: Parse;
  readonly description: string;
}

/** Every variable microcred reads. The README's configuration table is generated from this list. */
export const ENV_VARIABLES: readonly EnvVariable[] = [
  { name: 'MICROCRED_ROLE', path: ['role'], parse: text, description: '`all` (default), `issuer` or `verifier`: which services this process runs' },
  { name: 'MICROCRED_DATA', path: ['dataDir'], parse: text, description: 'data folder: database, keys, secret (default `.data`)' },
  { name: 'MICROCRED_HOST', path: ['host'], parse: text, description: 'address the HTTP server binds to (default `127.0.0.1`)' },
  { name: 'MICROCRED_PORT', path: ['port'], parse: number, description: 'HTTP port (default 8080)' },
  { name: 'MICROCRED_PUBLIC_URL', path: ['publicBaseUrl'], parse: text, description: 'the issuer\'s public base URL, e.g. `https://credentials.example.edu`: status lists are served at `<url>/status/…` (default: the local server\'s URL)' },
  { name: 'MICROCRED_CHAIN', path: ['chain', 'mode'], parse: text, description: '`embedded` (in-process dev chain, default) or `external`' },
  { name: 'MICROCRED_CHAIN_PORT', path: ['chain', 'embeddedPort'], parse: number, description: 'JSON-RPC port of the embedded chain (default 8545)' },
  { name: 'MICROCRED_RPC_URLS', path: ['chain', 'rpcUrls'], parse: list, description: 'comma-separated JSON-RPC URLs, tried in order (failover)' },
  { name: 'MICROCRED_CHAIN_ID', path: ['chain', 'chainId'], parse: number, description: 'chain id of the external chain' },
  { name: 'MICROCRED_REGISTRY', path: ['chain', 'registryAddress'], parse: text, description: 'address of the CredentialRegistry contract' },
  { name: 'MICROCRED_CONFIRMATIONS', path: ['chain', 'confirmations'], parse: number, description: 'confirmations before a batch counts as anchored (default 1)' },
  { name: 'MICROCRED_ANCHOR_KEY_FILE', path: ['anchoringKey'], parse: (value) => ({ source: 'file', path: value }), description: 'file holding the anchoring account\'s private key (hex)' },
  { name: 'MICROCRED_ISSUER_NAME', path: ['issuer', 'name'], parse: text, description: 'the institution\'s name, as put in credentials' },
  { name: 'MICROCRED_ISSUER_URL', path: ['issuer', 'url'], parse: text, description: 'the institution\'s web site' },
  { name: 'MICROCRED_DID_METHOD', path: ['issuer', 'didMethod'], parse: text, description: '`key` (development) or `web` (production)' },
  { name: 'MICROCRED_DID_DOMAIN', path: ['issuer', 'didDomain'], parse: text, description: 'domain for did:web, e.g. `credentials.example.edu`' },
  { name: 'MICROCRED_DID_PATH', path: ['issuer', 'didPath'], parse: text, description: 'optional path for did:web, e.g. `issuers/cpd`' },
  { name: 'MICROCRED_SIGNING_THREADS', path: ['issuer', 'signingThreads'], parse: number, description: 'worker threads for Data Integrity signing and for VC-JOSE batches, which are validated, built and signed there while the main thread stores (default: one per core, started by batches of 1,000 or more; 0: the main thread only)' },
  { name: 'MICROCRED_BATCH_SIZE', path: ['batch', 'maxLeaves'], parse: number, description: 'a batch closes after this many credentials (default 1000)' },
  { name: 'MICROCRED_BATCH_INTERVAL', path: ['batch', 'maxAgeSeconds'], parse: number, description: 'or after this many seconds (default 5)' },
  { name: 'MICROCRED_ACCEPT_PENDING', path: ['verifier', 'acceptPendingAnchor'], parse: boolean, description: 'verifier: a not-yet-anchored credential may be `valid` (default false)' },
  { name: 'MICROCRED_STATUS_LIST_HOSTS', path: ['verifier', 'statusListHosts'], parse: list, description: 'verifier: comma-separated hosts (`host` or `host:port`) status lists may be fetched from, besides the issuer\'s did:web host' },
  { name: 'MICROCRED_CLOCK_SKEW', path: ['verifier', 'clockSkewSeconds'], parse: number, description: 'verifier: tolerated clock skew in seconds (default 120)' },
  { name: 'MICROCRED_VC_API_TRUST', path: ['verifier', 'vcApiTrust'], parse: text, description: 'verifier: what `verified` means on the VC-API routes: `crypto-and-status` (default: signature, dates, status; registry reported in `trust`) or `registry` (microcred\'s full verdict)' },
  { name: 'MICROCRED_VERIFY_THREADS', path: ['verifier', 'threads'], parse: number, description: 'verifier: worker threads that verify HTTP requests (default: one per core, started by the first verification, which runs on the main thread while they load; 0: the main thread only)' },
  { name: 'MICROCRED_WEBHOOK_URL', path: ['delivery', 'webhook', 'url'], parse: text, description: 'http(s) URL told (POST, signed) when each credential is anchored; https and a non-loopback host outside development' },
  { name: 'MICROCRED_WEBHOOK_SECRET', path: ['delivery', 'webhook', 'secret'], parse: text, description: 'the webhook signing secret, `whsec_` + base64 of 24–64 random bytes (Standard Webhooks)' },
  { name: 'MICROCRED_SMTP_HOST', path: ['delivery', 'smtp', 'host'], parse: text, description: 'SMTP server that emails anchored credentials to learners (unset: no email; the embedded default uses its local mail catcher)' },
  { name: 'MICROCRED_SMTP_PORT', path: ['delivery', 'smtp', 'port'], parse: number, description: 'SMTP port (default 587)' },
  { name: 'MICROCRED_SMTP_SECURE', path: ['delivery', 'smtp', 'secure'], parse: boolean, description: '`true`: TLS from the first byte (port 465); default `false`: STARTTLS when offered' },
  { name: 'MICROCRED_SMTP_USER', path: ['delivery', 'smtp', 'user'], parse: text, description: 'SMTP user name (with `MICROCRED_SMTP_PASS`)' },
  { name: 'MICROCRED_SMTP_PASS', path: ['delivery', 'smtp', 'pass'], parse: text, description: 'SMTP password' },
  { name: 'MICROCRED_MAIL_FROM', path: ['delivery', 'smtp', 'from'], parse: text, description: 'sender of credential emails (default `microcred <credentials@localhost>`)' },
  { name: 'MICROCRED_DELIVERY_ATTEMPTS', path: ['delivery', 'maxAttempts'], parse: number, description: 'tries per webhook or email before the job is parked as failed (default 8; `microcred delivery retry`)' },
  { name: 'MICROCRED_CERTIFICATE_LOGO', path: ['certificate', 'logo'], parse: text, description: 'PDF certificates: the institution\'s logo, a PNG or JPEG file of at most 512 KiB (checked at start-up)' },
  { name: 'MICROCRED_PAPER_SIZE', path: ['certificate', 'paperSize'], parse: text, description: 'PDF certificates: `A4` (default) or `Letter`' },
  { name: 'MICROCRED_LINKEDIN_ORG_ID', path: ['linkedin', 'organizationId'], parse: text, description: 'LinkedIn "Add to profile": the numeric id of the institution\'s LinkedIn page (default: its name is sent)' },
  { name: 'MICROCRED_CONTEXTS_DIR', path: ['contexts', 'dir'], parse: text, description: 'folder of extra JSON-LD context files (never fetched); each must be pinned in `contexts.pins`' },
  { name: 'MICROCRED_CONTEXT_PINS', path: ['contexts', 'pins'], parse: json, description: 'JSON list of `{url, file, sha256}`: the URL each context file answers for and the SHA-256 of its bytes' },
];
