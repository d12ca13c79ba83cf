// The development mail catcher: an SMTP server on loopback that keeps every message it accepts as a file.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { MicrocredError } from '../errors';

/** A caught message as the development page lists it. */
export interface CaughtMailSummary {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  /** When the catcher accepted it (ISO). */
  readonly receivedAt: string;
}

/** One caught message, parsed. */
export interface CaughtMail extends CaughtMailSummary {
  readonly from: string;
  readonly messageId: string | null;
  readonly text: string;
  readonly html: string | null;
  readonly attachments: readonly { readonly filename: string; readonly contentType: string; readonly content: Buffer }[];
}

/** A running catcher. */
export interface MailCatcher {
  readonly host: string;
  readonly port: number;
  /** The folder holding one `.eml` file per accepted message. */
  readonly dir: string;
  /** Newest first, at most `limit` (default 200). */
  list(limit?: number): Promise<CaughtMailSummary[]>;
  /** One message, or null for an unknown id. */
  get(id: string): Promise<CaughtMail | null>;
  /** The stored bytes of one message, or null. */
  raw(id: string): Buffer | null;
  close(): Promise<void>;
}

/** Options of {@link startMailCatcher}. */
export interface MailCatcherOptions {
  /** Where messages are kept (created 0700); they survive restarts. */
  readonly dir: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Largest message accepted (default 25 MB). */
  readonly maxBytes?: number;
  /**
   * Tests only: called with each message before it is accepted; false answers 451 (not accepted, try again), as a
   * real server may. The message is stored, and the client told 250, only after this resolves true.
   */
  readonly beforeAccept?: (raw: Buffer) => Promise<boolean>;
  readonly now?: () => Date;
}

const ID_PATTERN = /^[0-9]{13}-[0-9a-f]{8}$/;

function addressText(value: unknown): string {
  if (value === undefined || value === null) return '';
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (v as { text?: string }).text ?? '').join(', ');
}

/** Starts the catcher on 127.0.0.1: no TLS, no authentication (it only ever listens on loopback). ERR_MAIL_CATCHER_START. */
export async function startMailCatcher(options: MailCatcherOptions): Promise<MailCatcher> {
  const dir = path.resolve(options.dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = options.now ?? ((): Date => new Date());
  const host = '127.0.0.1';
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.maxBytes ?? 25 * 1024 * 1024,
    logger: false,
    banner: 'microcred development mail catcher',
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded === true) {
          callback(Object.assign(new Error('Message too large'), { responseCode: 552 }));
          return;
        }
        const accept = options.beforeAccept ?? ((): Promise<boolean> => Promise.resolve(true));
        accept(raw).then(
          (ok) => {
            if (!ok) {
              callback(Object.assign(new Error('Not accepted now, try again later'), { responseCode: 451 }));
              return;
            }
            // Written (and renamed into place) before the 250 reply: an accepted message is never lost.
            const id = `${String(now().getTime()).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
            const file = path.join(dir, `${id}.eml`);
            writeFileSync(`${file}.tmp`, raw, { mode: 0o600 });
            renameSync(`${file}.tmp`, file);
            callback();
          },
          (error: unknown) => callback(error as Error),
        );
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (cause) => reject(new MicrocredError('ERR_MAIL_CATCHER_START', `The development mail catcher cannot listen on ${host}:${options.port ?? 0}: ${cause.message}`, { cause })));
    server.listen(options.port ?? 0, host, () => {
      const address = (server as unknown as { server: { address(): { port: number } } }).server.address();
      resolve(address.port);
    });
  });
  // A client that vanishes mid-message must not take the catcher down.
  server.on('error', () => undefined);

  const raw = (id: string): Buffer | null => {
    if (!ID_PATTERN.test(id)) return null;
    try {
      return readFileSync(path.join(dir, `${id}.eml`));
    } catch {
      return null;
    }
  };
  const get = async (id: string): Promise<CaughtMail | null> => {
    const bytes = raw(id);
    if (bytes === null) return null;
    const parsed = await simpleParser(bytes);
    return {
      id,
      to: addressText(parsed.to),
      from: addressText(parsed.from),
      subject: parsed.subject ?? '',
      receivedAt: new Date(Number(id.slice(0, 13))).toISOString(),
      messageId: parsed.messageId ?? null,
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : null,
      attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? 'attachment', contentType: a.contentType, content: a.content })),
    };
  };
  return {
    host,
    port,
    dir,
    async list(limit = 200) {
      const ids = readdirSync(dir)
        .filter((name) => name.endsWith('.eml'))
        .map((name) => name.slice(0, -4))
        .filter((id) => ID_PATTERN.test(id))
        .sort()
        .reverse()
        .slice(0, limit);
      const out: CaughtMailSummary[] = [];
      for (const id of ids) {
        const mail = await get(id);
        if (mail !== null) out.push({ id, to: mail.to, subject: mail.subject, receivedAt: mail.receivedAt });
      }
      return out;
    },
    get,
    raw,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
