// Check 7, accredited issuer: the credential's own issuer DID is registered and active in the trusted registry.
import { registryUnreachableWords } from '../anchor-state';
import type { CredentialContext } from '../context';
import { checkResult, type CheckResult } from '../result';

/**
 * ISSUER_ACCREDITED (data {did, issuerId, name}); failed ISSUER_NOT_REGISTERED / ISSUER_NOT_ACTIVE /
 * ISSUER_DID_MISMATCH; skipped ISSUER_NOT_CHECKED (the credential names no issuer, or fails its anchor already);
 * error ISSUER_RPC_UNREACHABLE / ISSUER_NO_READER. The registry is asked by `keccak256(did)`, never by an address.
 */
export async function accreditedIssuerCheck(ctx: CredentialContext): Promise<CheckResult> {
  const facts = await ctx.registry();
  const { read } = facts;
  const base = { did: facts.issuerDid, issuerId: facts.issuerId };
  if (read.kind === 'not-read') {
    return checkResult('accredited-issuer', 'skipped', 'ISSUER_NOT_CHECKED', `The issuer was not looked up: ${read.message}`, base);
  }
  if (read.kind === 'no-reader') {
    return checkResult('accredited-issuer', 'error', 'ISSUER_NO_READER', 'No registry is configured for this verifier, so who issued the credential cannot be checked.', base);
  }
  if (read.kind === 'unavailable') {
    return checkResult('accredited-issuer', 'error', 'ISSUER_RPC_UNREACHABLE', registryUnreachableWords(facts, 'the issuer’s accreditation'), { ...base, cause: read.code });
  }
  const { answer } = read;
  const data = { ...base, name: answer.issuerName, registry: facts.registry?.address, chainId: facts.registry?.chainId };
  if (!answer.issuerRegistered) {
    const signature = await ctx.signature();
    const genuine = signature.verified && signature.controllerIsIssuer === true;
    return checkResult(
      'accredited-issuer',
      'failed',
      'ISSUER_NOT_REGISTERED',
      `${genuine ? 'The signature is genuine, but this registry does not know who issued it' : 'This registry does not know who issued it'}: ${String(facts.issuerDid)} is not a registered issuer.`,
      data,
    );
  }
  if (answer.issuerDid !== facts.issuerDid) {
    // Only a keccak collision or a broken registry gets here; refuse rather than trust the wrong name.
    return checkResult('accredited-issuer', 'failed', 'ISSUER_DID_MISMATCH', `The registry answered for ${answer.issuerDid}, not for the credential’s issuer ${String(facts.issuerDid)}.`, data);
  }
  if (!answer.issuerActive) {
    return checkResult('accredited-issuer', 'failed', 'ISSUER_NOT_ACTIVE', `The issuer ${answer.issuerName} is suspended by the accreditation body.`, data);
  }
  return checkResult('accredited-issuer', 'passed', 'ISSUER_ACCREDITED', `The issuer ${answer.issuerName} is registered and active.`, data);
}
