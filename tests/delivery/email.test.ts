// The email channel through the real local mail catcher (smtp-server), each message read back with mailparser.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { anchoredCredential } from '../../src/anchoring';
import { createShareService } from '../../src/issuer';
import type { ShareLinkStore } from '../../src/store';
import { createDeliveryWorker, createEmailSender, credentialFromPdf, emailMessageId, startMailCatcher, type MailCatcher } from '../../src/delivery';
import { anchoredCohort } from './outbox-fixture';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function mailDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-mail-'));
  closers.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function catcherIn(dir: string): Promise<MailCatcher> {
  const catcher = await startMailCatcher({ dir });
  closers.push(() => catcher.close());
  return catcher;
}

/** The real share service over the fixture's store: the link and the PDF certificate the email carries. */
function shareChannels(store: ShareLinkStore): { shareUrlFor: (id: string) => Promise<string>; certificateFor: (id: string) => Promise<Uint8Array> } {
  const share = createShareService({ store, baseUrl: () => 'http://127.0.0.1:8080' });
  return { shareUrlFor: (id) => Promise.resolve(share.shareUrlOf(id)), certificateFor: async (id) => (await share.certificate(id, 'test')).bytes };
}

describe('email delivery', () => {
  it('sends one message per credential to its learner, with the link, the PDF and the JSON; kept across catcher restarts', async () => {
    const { fixture, learners } = await anchoredCohort(3, ['email']);
    const dir = mailDir();
    const catcher = await catcherIn(dir);
    const links = shareChannels(fixture.store);
    const worker = createDeliveryWorker({
      store: fixture.store,
      senders: { email: createEmailSender({ smtp: { host: catcher.host, port: catcher.port, secure: false, from: 'Example Medical School <credentials@school.example>' }, ...links }) },
      maxAttempts: 3,
      now: fixture.now,
    });
    expect((await worker.runOnce()).sent).toHaveLength(3);
    expect((await worker.runOnce()).sent).toHaveLength(0);

    const caught = await catcher.list();
    expect(caught).toHaveLength(3);
    for (const learner of learners) {
      const summaries = caught.filter((m) => m.to.includes(learner.email));
      expect(summaries).toHaveLength(1);
      const raw = catcher.raw(summaries[0]!.id)!;
      const mail = await simpleParser(raw);
      const to = Array.isArray(mail.to) ? mail.to[0]! : mail.to!;
      expect(to.value).toEqual([{ address: learner.email, name: learner.name }]);
      expect(mail.subject).toBe('Your credential: Advanced Cardiac Life Support');
      expect(mail.messageId).toBe(emailMessageId(learner.credentialId, 'school.example'));
      const link = await links.shareUrlFor(learner.credentialId);
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:8080\/c\/[A-Za-z0-9_-]{22}$/);
      expect(mail.text).toContain(link);
      expect(mail.html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
      expect(mail.html).toMatch(/<html lang="en">/);

      const anchored = anchoredCredential(fixture.store.getCredential(learner.credentialId)!);
      const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
      const json = mail.attachments.find((a) => a.contentType === 'application/json')!;
      expect(mail.attachments).toHaveLength(2);
      expect(pdf.filename).toBe('learner-' + learner.name.split(' ')[1] + '-advanced-cardiac-life-support.pdf');
      expect(JSON.parse(json.content.toString('utf8'))).toEqual(anchored);
      expect(JSON.parse(await credentialFromPdf(pdf.content))).toEqual(anchored);
    }
    expect(fixture.store.listDeliveryJobs({ state: 'sent' }).items).toHaveLength(3);

    // The catcher keeps what it accepted in the data folder: a new catcher on the same folder lists the same mail.
    await catcher.close();
    const again = await startMailCatcher({ dir });
    closers.push(() => again.close());
    expect((await again.list()).map((m) => m.id).sort()).toEqual(caught.map((m) => m.id).sort());
    const shown = await again.get(caught[0]!.id);
    expect(shown?.attachments.map((a) => a.contentType).sort()).toEqual(['application/json', 'application/pdf']);
  });

  it('sends nothing to an erased learner and parks the job as failed', async () => {
    const { fixture, learners } = await anchoredCohort(1, ['email']);
    const catcher = await catcherIn(mailDir());
    const learnerId = fixture.store.getCredential(learners[0]!.credentialId)!.learnerId!;
    fixture.store.eraseLearner(learnerId, 'test');
    const links = shareChannels(fixture.store);
    const worker = createDeliveryWorker({
      store: fixture.store,
      senders: { email: createEmailSender({ smtp: { host: catcher.host, port: catcher.port, secure: false, from: 'School <credentials@school.example>' }, ...links }) },
      maxAttempts: 3,
      now: fixture.now,
    });
    expect((await worker.runOnce()).failed).toHaveLength(1);
    expect(await catcher.list()).toEqual([]);
    expect(fixture.store.listDeliveryJobs({ state: 'failed' }).items[0]!.lastError).toMatch(/^ERR_DELIVERY_NO_RECIPIENT/);
  });
});
