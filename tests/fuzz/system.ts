// The real system for hostile-input tests: startSystem with its in-process dev chain, plus anchored sample credentials.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createIssuerApp } from '../../src/server/issuer-app';
import { createVerifierApp } from '../../src/server/verifier-app';
import { startSystem, type RunningSystem } from '../../src/runtime/system';
import { freePort } from '../helpers/free-port';
import { afterAll, beforeAll } from 'vitest';
import { sampleRecord } from '../helpers/records';
import { trapOutbound, type NetTrap } from './net-trap';
export { sampleRecord };

/** A running system, its two apps rebuilt over the same real parts (for app.request), tokens and valid credentials. */
export interface FuzzSystem {
  readonly system: RunningSystem;
  readonly dir: string;
  /** The issuer app over the system's real service, store and anchorer. */
  readonly issuerApp: ReturnType<typeof createIssuerApp>;
  /** The verifier app over the system's real verifier (rate limit off, so fuzzing never trips it). */
  readonly verifierApp: ReturnType<typeof createVerifierApp>;
  /** Errors that became a 5xx in either app. */
  readonly unexpected: unknown[];
  readonly tokens: { issue: string; status: string; admin: string };
  /** An anchored Data Integrity credential that verifies as valid. */
  readonly validDi: Record<string, unknown>;
  /** An anchored VC-JOSE envelope that verifies as valid. */
  readonly validJoseEnvelope: Record<string, unknown>;
  /** Its compact JWS (anchored, so the verdict alone is not `valid` without the envelope). */
  readonly validJws: string;
  /** Id of an issued credential. */
  readonly credentialId: string;
  stop(): Promise<void>;
}

/** Starts the whole system (role all, embedded chain on loopback), issues and anchors one DI and one JOSE credential. */
export async function startFuzzSystem(): Promise<FuzzSystem> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-fuzz-'));
  const config = loadConfig({
    env: {},
    overrides: { dataDir: path.join(dir, 'data'), port: await freePort(), chain: { embeddedPort: await freePort() }, batch: { maxAgeSeconds: 3600 } },
  });
  const system = await startSystem({ config, env: {} });
  const issuer = system.issuer!;
  const unexpected: unknown[] = [];
  const onUnexpected = (error: unknown) => unexpected.push(error);
  const issuerApp = createIssuerApp({ service: issuer.service, store: issuer.store, anchorer: issuer.anchorer, onUnexpected });
  const verifierApp = createVerifierApp({ verifier: system.verifier!, rateLimit: false, onUnexpected });
  const tokens = {
    issue: issuer.store.createToken('fuzz issue', ['issue'], 'test').token,
    status: issuer.store.createToken('fuzz status', ['status'], 'test').token,
    admin: issuer.store.createToken('fuzz admin', ['admin'], 'test').token,
  };
  const di = await issuer.service.issue(sampleRecord(), { format: 'di', actor: 'fuzz' });
  const jose = await issuer.service.issue(sampleRecord(), { format: 'jose', actor: 'fuzz' });
  await issuer.anchorer.anchorNow();
  const anchoredDi = issuer.service.getCredentialWithAnchor(di.credentialId).anchored;
  const anchoredJose = issuer.service.getCredentialWithAnchor(jose.credentialId).anchored;
  if (anchoredDi === null || anchoredJose === null) throw new Error('the sample credentials were not anchored');
  return {
    system,
    dir,
    issuerApp,
    verifierApp,
    unexpected,
    tokens,
    validDi: anchoredDi,
    validJoseEnvelope: anchoredJose,
    validJws: jose.credential as string,
    credentialId: di.credentialId,
    async stop() {
      await system.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts the fuzz system and the outbound-network trap before a test file's tests, and stops both after them. */
export function useFuzzSystem(): { readonly sys: FuzzSystem; readonly trap: NetTrap } {
  const state = {} as { sys: FuzzSystem; trap: NetTrap };
  beforeAll(async () => {
    state.sys = await startFuzzSystem();
    state.trap = trapOutbound();
  });
  afterAll(async () => {
    state.trap?.restore();
    await state.sys?.stop();
  });
  return state;
}
