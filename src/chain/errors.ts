// Turns ethers failures into MicrocredErrors: registry custom errors get stable codes, network failures one code.
import type { Interface } from 'ethers';
import { MicrocredError, type ErrorCode } from '../errors';

/** A registry custom error (or another revert) decoded into a stable code; `details.args` holds its named arguments. */
export class ContractRevertError extends MicrocredError {}

/** No RPC endpoint answered; the operation may be retried later. */
export class RpcUnavailableError extends MicrocredError {}

/** Stable codes for the registry's custom errors and OpenZeppelin's AccessControl errors. */
export const REVERT_CODES: Readonly<Record<string, ErrorCode>> = {
  ZeroAddress: 'ERR_ZERO_ADDRESS',
  EmptyDid: 'ERR_EMPTY_DID',
  IssuerAlreadyRegistered: 'ERR_ISSUER_ALREADY_REGISTERED',
  UnknownIssuer: 'ERR_UNKNOWN_ISSUER',
  IssuerNotActive: 'ERR_ISSUER_NOT_ACTIVE',
  IssuerAlreadyActive: 'ERR_ISSUER_ALREADY_ACTIVE',
  NotIssuerAdmin: 'ERR_NOT_ISSUER_ADMIN',
  OperatorAlreadyAssigned: 'ERR_OPERATOR_ALREADY_ASSIGNED',
  NotOperatorOf: 'ERR_NOT_OPERATOR_OF',
  NotAnOperator: 'ERR_NOT_AN_OPERATOR',
  TooManyOperators: 'ERR_TOO_MANY_OPERATORS',
  ZeroRoot: 'ERR_ZERO_ROOT',
  RootAlreadyAnchored: 'ERR_ROOT_ALREADY_ANCHORED',
  RootNotAnchored: 'ERR_ROOT_NOT_ANCHORED',
  LeafNotInRoot: 'ERR_LEAF_NOT_IN_ROOT',
  LeafAlreadyRevoked: 'ERR_LEAF_REVOKED',
  LeafAlreadySuspended: 'ERR_LEAF_ALREADY_SUSPENDED',
  LeafNotSuspended: 'ERR_LEAF_NOT_SUSPENDED',
  AccessControlUnauthorizedAccount: 'ERR_MISSING_ROLE',
  AccessControlBadConfirmation: 'ERR_BAD_CONFIRMATION',
};

/** What to do next, per revert, so messages help the operator. */
const HINTS: Readonly<Record<string, string>> = {
  ZeroAddress: 'pass a non-zero address',
  EmptyDid: 'give the issuer a DID',
  IssuerAlreadyRegistered: 'an issuer with this DID is registered already; read it with `microcred registry show-issuer`',
  UnknownIssuer: 'register the issuer first (an accreditor runs `microcred registry add-issuer`)',
  IssuerNotActive: 'the issuer is suspended; an accreditor must reinstate it',
  IssuerAlreadyActive: 'the issuer is active already',
  NotIssuerAdmin: "send this from the issuer's admin account or an accreditor",
  OperatorAlreadyAssigned: 'this address already operates for an issuer; remove it there first, or use a fresh key',
  NotOperatorOf: 'this address is not an operator of that issuer; see `microcred registry show-issuer`',
  NotAnOperator: "this account is no issuer's operator; the issuer's admin must run `microcred registry add-operator`",
  TooManyOperators: 'remove an unused operator first',
  ZeroRoot: 'anchor a non-zero Merkle root',
  RootAlreadyAnchored: 'this issuer anchored this root already; read it with anchorOf instead of anchoring again',
  RootNotAnchored: "anchor the root for this issuer before changing the status of its leaves",
  LeafNotInRoot: 'the Merkle path does not lead from this leaf to this root; use the path from the anchor proof',
  LeafAlreadyRevoked: 'the credential is revoked, and revocation is final',
  LeafAlreadySuspended: 'the credential is suspended already',
  LeafNotSuspended: 'only a suspended credential can be reinstated',
  AccessControlUnauthorizedAccount: 'send this from an account that holds the required role',
  AccessControlBadConfirmation: 'an account can only renounce its own roles',
};

// Node and undici error codes that mean "this endpoint did not answer", so another endpoint may.
const NETWORK_CODES = new Set([
  'NETWORK_ERROR',
  'SERVER_ERROR',
  'TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface ErrorLike {
  code?: unknown;
  data?: unknown;
  cause?: unknown;
  error?: unknown;
  info?: { error?: unknown };
}

/** True when `error` means the RPC endpoint could not be reached or failed at the transport level. */
export function isNetworkError(error: unknown): boolean {
  // Our own errors were already classified (e.g. a receipt timeout is not a dead endpoint).
  if (error instanceof MicrocredError) return error.code === 'ERR_RPC_UNAVAILABLE';
  let current: unknown = error;
  // Follow cause/error links a bounded number of times; ethers wraps transport errors one or two levels deep.
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const e = current as ErrorLike;
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
    current = e.cause ?? e.error;
  }
  return false;
}

// Finds the ABI-encoded revert data in an ethers error, wherever the JSON-RPC layer put it.
function revertData(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const e = current as ErrorLike;
    if (typeof e.data === 'string' && e.data.startsWith('0x') && e.data.length >= 10) return e.data;
    current = e.info?.error ?? e.error ?? e.cause;
  }
  return undefined;
}

// bigint arguments become numbers when exact (reason codes, timestamps) and decimal strings otherwise.
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  return value;
}

/**
 * Converts any error from an ethers call into a MicrocredError: a decoded registry revert becomes a
 * ContractRevertError with a stable code and `details: { error, args }`; transport failures become
 * RpcUnavailableError (ERR_RPC_UNAVAILABLE); a MicrocredError passes through.
 */
export function toChainError(error: unknown, iface: Interface, action: string): MicrocredError {
  if (error instanceof MicrocredError) return error;
  const data = revertData(error);
  if (data !== undefined) {
    const parsed = (() => {
      try {
        return iface.parseError(data);
      } catch {
        return null;
      }
    })();
    if (parsed) {
      const args: Record<string, unknown> = {};
      parsed.fragment.inputs.forEach((input, i) => {
        args[input.name || String(i)] = plain(parsed.args[i]);
      });
      const code = REVERT_CODES[parsed.name] ?? 'ERR_CONTRACT_REVERTED';
      const hint = HINTS[parsed.name] ?? 'see docs/contract.md';
      return new ContractRevertError(code, `${action} was rejected by the registry (${parsed.name}): ${hint}`, {
        cause: error,
        details: { error: parsed.name, args },
      });
    }
  }
  if (isNetworkError(error)) {
    return new RpcUnavailableError('ERR_RPC_UNAVAILABLE', `${action} failed: no RPC endpoint answered; check the RPC URL(s) and retry`, {
      cause: error,
    });
  }
  const ethersCode = typeof (error as ErrorLike | null)?.code === 'string' ? String((error as ErrorLike).code) : undefined;
  if (ethersCode === 'CALL_EXCEPTION') {
    return new ContractRevertError('ERR_CONTRACT_REVERTED', `${action} was rejected by the registry without a known reason; check the registry address`, {
      cause: error,
      details: { data },
    });
  }
  if (ethersCode === 'BAD_DATA') {
    return new MicrocredError('ERR_REGISTRY_BAD_RESPONSE', `${action} got an answer that is not from a registry; check the registry address and chain`, {
      cause: error,
    });
  }
  return new MicrocredError('ERR_CHAIN', `${action} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
