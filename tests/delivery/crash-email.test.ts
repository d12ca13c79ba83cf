// Crash safety of email delivery with real processes: SIGKILL the sender mid-cohort, restart it, count the mail caught.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { anchoredCredential } from '../../src/anchoring';
import { startMailCatcher, type MailCatcher } from '../../src/delivery';
import type { Store } from '../../src/store';
import { anchoredCohort, type CohortLearner } from './outbox-fixture';

const projectRoot = path.resolve(__dirname, '..', '..');
const childScript = path.join(__dirname, 'fixtures', 'delivery-child.ts');
const COHORT = 6;

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Child {
  pid: number;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function runChild(db: string, smtpPort: number, fault = ''): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DELIVERY_DB: db, DELIVERY_SMTP_PORT: String(smtpPort), DELIVERY_FAULT: fault },
  });
  closers.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  return { pid: child.pid!, exit: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr }))) };
}

/** Every learner has exactly one message, to them, with their own credential attached, and no Message-ID repeats. */
async function expectOneMessageEach(catcher: MailCatcher, learners: readonly CohortLearner[], store: Store): Promise<void> {
  const caught = await catcher.list();
  expect(caught).toHaveLength(learners.length);
  const messageIds = new Set<string>();
  for (const learner of learners) {
    const mine = caught.filter((m) => m.to.includes(`<${learner.email}>`));
    expect(mine, `messages to ${learner.email}`).toHaveLength(1);
    const mail = await simpleParser(catcher.raw(mine[0]!.id)!);
    const json: unknown = JSON.parse(mail.attachments.find((a) => a.contentType === 'application/json')!.content.toString('utf8'));
    expect(json).toEqual(anchoredCredential(store.getCredential(learner.credentialId)!));
    messageIds.add(mail.messageId!);
  }
  expect(messageIds.size).toBe(learners.length);
}

function mailDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-mail-'));
  closers.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('email delivery crash safety (SIGKILL, real child processes, real SMTP catcher)', () => {
  it('killed while the catcher holds the 3rd message (not yet accepted): after a restart every learner has exactly one message', async () => {
    const { fixture, learners } = await anchoredCohort(COHORT, ['email']);
    let child: Child | undefined;
    let received = 0;
    // The kill lands after the 3rd message's data reached the server and before the server accepted it (no 250
    // yet), so the job is `sending` and the message is not delivered: the restart must send it, once.
    const catcher = await startMailCatcher({
      dir: mailDir(),
      beforeAccept: async () => {
        received++;
        if (received !== 3 || child === undefined) return true;
        process.kill(child.pid, 'SIGKILL');
        await child.exit;
        return false;
      },
    });
    closers.push(() => catcher.close());

    child = runChild(fixture.store.path, catcher.port);
    const crashed = await child.exit;
    expect(crashed.signal, `expected SIGKILL; stderr: ${crashed.stderr}`).toBe('SIGKILL');
    const states = fixture.store.listDeliveryJobs({ limit: 100 }).items.map((j) => j.state);
    expect(states.filter((s) => s === 'sent')).toHaveLength(2);
    expect(states.filter((s) => s === 'sending')).toHaveLength(1);
    expect(await catcher.list()).toHaveLength(2);

    child = undefined;
    const restarted = await runChild(fixture.store.path, catcher.port).exit;
    expect(restarted.code, `restart failed: ${restarted.stderr}`).toBe(0);
    await expectOneMessageEach(catcher, learners, fixture.store);
    expect(fixture.store.listDeliveryJobs({ state: 'sent', limit: 100 }).items).toHaveLength(COHORT);
  });

  it('killed right after marking the 4th job sending (before SMTP): after a restart every learner has exactly one message', async () => {
    const { fixture, learners } = await anchoredCohort(COHORT, ['email']);
    const catcher = await startMailCatcher({ dir: mailDir() });
    closers.push(() => catcher.close());
    const crashed = await runChild(fixture.store.path, catcher.port, 'after-sending:4').exit;
    expect(crashed.signal, `expected SIGKILL; stderr: ${crashed.stderr}`).toBe('SIGKILL');
    expect(fixture.store.listDeliveryJobs({ state: 'sending' }).items).toHaveLength(1);
    expect(await catcher.list()).toHaveLength(3);

    const restarted = await runChild(fixture.store.path, catcher.port).exit;
    expect(restarted.code, `restart failed: ${restarted.stderr}`).toBe(0);
    await expectOneMessageEach(catcher, learners, fixture.store);
  });
});
