// An independent verifier, DCC's verifier-core, reads microcred's published status lists from the local server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../../src/server/listen';
import { createStatusListApp } from '../../src/server/status-list-app';
import { trapOutbound, type NetTrap } from '../fuzz/net-trap';
import { sampleRecord } from '../helpers/records';
import { statusFixture } from './fixture';

interface DccLogEntry {
  id: string;
  valid?: boolean;
}
interface DccResult {
  log?: DccLogEntry[];
  errors?: Array<{ name: string; message: string }>;
}

let trap: NetTrap;
beforeAll(() => {
  trap = trapOutbound();
});
afterAll(() => trap.restore());

describe('DCC verifier-core against the local status list server', () => {
  it('sees a credential valid before revocation and revoked after; suspended after suspension and valid again after reinstatement', async () => {
    const base = { url: '' };
    const f = statusFixture({ base: () => base.url });
    const server: RunningServer = await listen(createStatusListApp({ publisher: f.publisher }), { hostname: '127.0.0.1', port: 0 });
    base.url = server.url;
    try {
      const { verifyCredential } = (await import('@digitalcredentials/verifier-core')) as unknown as {
        verifyCredential(this: void, options: { credential: object; knownDIDRegistries: object }): Promise<DccResult>;
      };
      const dcc = async (credential: object): Promise<DccResult> => verifyCredential({ credential, knownDIDRegistries: [] });
      const step = (result: DccResult, id: string): boolean | undefined => result.log?.find((entry) => entry.id === id)?.valid;

      const revoked = await f.service.issue(sampleRecord(), { format: 'di', actor: 'test' });
      const before = await dcc(revoked.credential as object);
      expect(before.errors).toBeUndefined();
      expect(step(before, 'valid_signature')).toBe(true);
      expect(step(before, 'revocation_status')).toBe(true);
      expect(step(before, 'suspension_status')).toBe(true);
      f.service.requestStatusChange(revoked.credentialId, 'revoke', { reasonCode: 'misconduct', actor: 'test' });
      const after = await dcc(revoked.credential as object);
      expect(step(after, 'valid_signature')).toBe(true);
      expect(step(after, 'revocation_status')).toBe(false);

      const suspended = await f.service.issue(sampleRecord(), { format: 'di', actor: 'test' });
      expect(step(await dcc(suspended.credential as object), 'suspension_status')).toBe(true);
      f.service.requestStatusChange(suspended.credentialId, 'suspend', { reasonCode: 'under_review', actor: 'test' });
      const whileSuspended = await dcc(suspended.credential as object);
      expect(step(whileSuspended, 'suspension_status')).toBe(false);
      expect(step(whileSuspended, 'revocation_status')).toBe(true);
      f.service.requestStatusChange(suspended.credentialId, 'reinstate', { reasonCode: 'resolved', actor: 'test' });
      expect(step(await dcc(suspended.credential as object), 'suspension_status')).toBe(true);
      // The only outbound attempts were verifier-core's own schema downloads (refused here), never the lists.
      expect(trap.attempts.every((attempt) => attempt.includes('purl.imsglobal.org'))).toBe(true);
    } finally {
      await server.close();
    }
  }, 60_000);
});
