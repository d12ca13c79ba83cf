// The configuration's shape, defaults and cross-field rules, as one zod schema.
import { z } from 'zod';

const port = z.number().int().min(0).max(65_535);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address');

/** Where the anchoring account's private key comes from. `dev` is Hardhat's account #0, for the embedded chain only. */
const anchoringKey = z.discriminatedUnion('source', [
  z.object({ source: z.literal('dev') }),
  z.object({ source: z.literal('file'), path: z.string().min(1) }),
  z.object({ source: z.literal('env'), variable: z.string().min(1).default('MICROCRED_ANCHOR_KEY') }),
]);

/** The whole configuration, every field defaulted for the embedded development setup. */
export const configSchema = z
  .object({
    role: z.enum(['all', 'issuer', 'verifier']).default('all'),
    dataDir: z.string().min(1).default('.data'),
    host: z.string().min(1).default('127.0.0.1'),
    port: port.default(8080),
    /** The issuer's public base URL (status lists, later share links); unset: the local server's own URL. */
    publicBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
    chain: z
      .object({
        mode: z.enum(['embedded', 'external']).default('embedded'),
        embeddedPort: port.default(8545),
        rpcUrls: z.array(z.url({ protocol: /^https?$/ })).default([]),
        chainId: z.number().int().positive().optional(),
        registryAddress: address.optional(),
        confirmations: z.number().int().min(0).max(100).default(1),
      })
      .prefault({}),
    anchoringKey: anchoringKey.default({ source: 'dev' }),
    issuer: z
      .object({
        name: z.string().min(1).default('Example Medical School (development)'),
        url: z.url().default('https://example.org'),
        didMethod: z.enum(['key', 'web']).default('key'),
        didDomain: z.string().min(1).optional(),
        didPath: z.string().min(1).optional(),
        /** Worker threads for Data Integrity signing; 0 signs on the main thread; unset: one per core. */
        signingThreads: z.number().int().min(0).max(64).optional(),
      })
      .prefault({}),
    batch: z
      .object({
        maxLeaves: z.number().int().min(1).max(1_000_000).default(1000),
        maxAgeSeconds: z.number().min(0.1).max(86_400).default(5),
      })
      .prefault({}),
    verifier: z
      .object({
        acceptPendingAnchor: z.boolean().default(false),
        clockSkewSeconds: z.number().min(0).max(3600).default(120),
        bodyLimitBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
        // Verifications per minute per client address; the same default as the verifier app (docs/security.md H4).
        rateLimitPerMinute: z.number().int().min(1).default(120),
        /** Hosts (`host` or `host:port`) the verifier may fetch status lists from, besides each issuer's did:web host. */
        statusListHosts: z.array(z.string().min(1)).default([]),
        /** What `verified` means on the VC-API routes (docs/verifier-api.md). */
        vcApiTrust: z.enum(['crypto-and-status', 'registry']).default('crypto-and-status'),
        /** Worker threads that verify requests; 0 verifies on the main thread; unset: one per core. */
        threads: z.number().int().min(0).max(64).optional(),
      })
      .prefault({}),
    /** Delivery of anchored credentials: a signed webhook to the LMS and an email to the learner (docs/delivery.md). */
    delivery: z
      .object({
        webhook: z
          .object({
            url: z.url({ protocol: /^https?$/ }).optional(),
            /** Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes. */
            secret: z.string().regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'must be whsec_ followed by the base64 of 24 to 64 random bytes').optional(),
          })
          .prefault({}),
        smtp: z
          .object({
            /** Unset: no email (the embedded default starts a local mail catcher instead). */
            host: z.string().min(1).optional(),
            port: port.default(587),
            /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
            secure: z.boolean().default(false),
            user: z.string().min(1).optional(),
            pass: z.string().min(1).optional(),
            from: z.string().min(3).default('microcred <credentials@localhost>'),
          })
          .prefault({}),
        /** Tries per job before it is parked as failed (microcred delivery retry). */
        maxAttempts: z.number().int().min(1).max(100).default(8),
      })
      .prefault({}),
    /** PDF certificates: the institution's logo (a PNG or JPEG file, at most 512 KiB) and the paper size. */
    certificate: z
      .object({
        logo: z.string().min(1).optional(),
        paperSize: z.enum(['A4', 'Letter']).default('A4'),
      })
      .prefault({}),
    /** LinkedIn "Add to profile": the numeric id of the institution's LinkedIn page (else its name is sent). */
    linkedin: z
      .object({
        organizationId: z.string().regex(/^\d{1,20}$/, 'must be the numeric id of the LinkedIn page').optional(),
      })
      .prefault({}),
    /** Extra JSON-LD contexts from a folder, each pinned by the SHA-256 of its bytes (docs/credentials.md). */
    contexts: z
      .object({
        dir: z.string().min(1).optional(),
        pins: z
          .array(z.object({ url: z.url({ protocol: /^https?$/ }), file: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits') }).strict())
          .default([]),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const needsIssuer = config.role !== 'verifier';
    if (config.chain.mode === 'external') {
      if (config.chain.rpcUrls.length === 0)
        ctx.addIssue({ code: 'custom', path: ['chain', 'rpcUrls'], message: 'an external chain needs at least one RPC URL' });
      if (config.chain.chainId === undefined)
        ctx.addIssue({ code: 'custom', path: ['chain', 'chainId'], message: 'an external chain needs its chain id' });
      if (config.chain.registryAddress === undefined)
        ctx.addIssue({ code: 'custom', path: ['chain', 'registryAddress'], message: 'an external chain needs the registry address' });
      if (needsIssuer && config.anchoringKey.source === 'dev')
        ctx.addIssue({ code: 'custom', path: ['anchoringKey'], message: 'the development key is only for the embedded chain; use a key file' });
    }
    if (config.delivery.webhook.url !== undefined && config.delivery.webhook.secret === undefined)
      ctx.addIssue({ code: 'custom', path: ['delivery', 'webhook', 'secret'], message: 'a webhook URL needs a signing secret (whsec_…)' });
    if ((config.delivery.smtp.user === undefined) !== (config.delivery.smtp.pass === undefined))
      ctx.addIssue({ code: 'custom', path: ['delivery', 'smtp', 'pass'], message: 'SMTP user and password go together' });
    if (config.contexts.pins.length > 0 && config.contexts.dir === undefined)
      ctx.addIssue({ code: 'custom', path: ['contexts', 'dir'], message: 'pinned context files need the folder that holds them' });
    if (needsIssuer && config.issuer.didMethod === 'web' && config.issuer.didDomain === undefined)
      ctx.addIssue({ code: 'custom', path: ['issuer', 'didDomain'], message: 'did:web needs the domain that serves /.well-known/did.json' });
  });

/** A checked configuration. */
export type MicrocredConfig = z.infer<typeof configSchema>;
