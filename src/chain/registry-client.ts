// Typed client for the CredentialRegistry (v2): issuer identities and operators, anchoring, leaf status, verifier reads.
import { Contract, Wallet, getAddress, hexlify, isAddress, isCallException, id as keccakText } from 'ethers';
import type { JsonRpcProvider, Signer, TransactionResponse } from 'ethers';
import { MicrocredError } from '../errors';
import { loadRegistryArtifact } from './artifact';
import { toChainError } from './errors';
import { FailoverReader } from './failover';
import { lookupManyCodec, type LookupTuple } from './lookup-many-codec';
import { issuerIdOf, toIssuerId } from './issuer-id';
import { detectChainId, makeRpcProvider } from './provider';
import type { RpcOptions } from './provider';
import { LEAF_STATUSES, REGISTRY_INTERFACE_ID } from './types';
import type {
  AnchorRecord,
  IssuerRecord,
  IssuerRef,
  LeafState,
  LeafStatus,
  LookupQuery,
  LookupResult,
  MinedTransaction,
  RootAnchoredEvent,
  SentTransaction,
  WriteOptions,
} from './types';

/** The leaf status writes, named as the contract's functions. */
export type StatusChangeAction = 'revoke' | 'suspend' | 'reinstate';

/** A leaf status event as found in the logs. */
export interface LeafStatusEvent {
  readonly action: StatusChangeAction;
  readonly issuerId: string;
  readonly leaf: string;
  readonly root: string;
  readonly reason: number;
  /** The operator address that sent the change. */
  readonly operator: string;
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly transactionHash: string;
}

/** Options for {@link RegistryClient.connect}. */
export interface ConnectOptions extends RpcOptions {
  /** The registry's address. */
  address: string;
  /** RPC URLs; reads try them in order (see FailoverReader), writes go to the first. */
  rpcUrls: readonly string[];
  /** Expected chain id; asked from the first URL that answers when omitted. */
  chainId?: number;
  /** Key that signs writes; omit for a read-only client. */
  privateKey?: string;
  /** A signer for writes instead of `privateKey`; it must not manage nonces itself (the client does). */
  signer?: Signer;
}

/** How long waitForReceipt waits by default before ERR_RECEIPT_TIMEOUT. */
export const DEFAULT_RECEIPT_TIMEOUT_MS = 300_000;

/** `ACCREDITOR_ROLE` as the contract defines it. */
export const ACCREDITOR_ROLE = keccakText('ACCREDITOR_ROLE');

interface IssuerTuple {
  did: string;
  name: string;
  admin: string;
  registeredAt: bigint;
  active: boolean;
  operators: string[];
}

/** Most queries {@link RegistryClient.lookupMany} sends in one `eth_call`; longer lists are split. */
export const LOOKUP_MANY_CHUNK = 250;

const statusName = (value: bigint): LeafStatus => LEAF_STATUSES[Number(value)] ?? 'active';

function lookupResult(issuerId: string, raw: LookupTuple): LookupResult {
  return {
    issuerId,
    anchored: raw.anchoredAt !== 0n,
    anchoredAt: Number(raw.anchoredAt),
    anchoredBlock: Number(raw.anchoredBlock),
    leafInRoot: raw.leafInRoot,
    status: statusName(raw.status),
    statusReason: Number(raw.statusReason),
    statusSince: Number(raw.statusSince),
    issuerRegistered: raw.issuerRegistered,
    issuerActive: raw.issuerActive,
    issuerDid: raw.issuerDid,
    issuerName: raw.issuerName,
  };
}

/** A registry at one address on one chain. Reads fail over across RPC URLs; writes are serialised with explicit nonces. */
export class RegistryClient {
  /** The registry's checksummed address. */
  readonly address: string;
  /** The chain id every provider is pinned to. */
  readonly chainId: number;
  private readonly reader: FailoverReader;
  private readonly signer: Signer | undefined;
  private readonly iface = loadRegistryArtifact().iface;
  private readonly pollingIntervalMs: number;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private nextNonce: number | undefined;

  /** Prefer {@link RegistryClient.connect}; this constructor takes ready-made parts. */
  constructor(parts: { address: string; chainId: number; reader: FailoverReader; signer?: Signer; pollingIntervalMs?: number }) {
    this.address = getAddress(parts.address);
    this.pollingIntervalMs = parts.pollingIntervalMs ?? 250;
    this.chainId = parts.chainId;
    this.reader = parts.reader;
    this.signer = parts.signer;
  }

  /** Builds a client: one provider per URL pinned to the chain id, and a signer on the first URL if a key is given. */
  static async connect(options: ConnectOptions): Promise<RegistryClient> {
    const chainId = options.chainId ?? (await detectChainId(options.rpcUrls, options));
    const providers = options.rpcUrls.map((url) => makeRpcProvider(url, chainId, options));
    const reader = new FailoverReader(providers);
    let signer = options.signer;
    if (!signer && options.privateKey !== undefined) signer = new Wallet(options.privateKey, providers[0]);
    return new RegistryClient({
      address: options.address,
      chainId,
      reader,
      ...(signer ? { signer } : {}),
      ...(options.pollingIntervalMs !== undefined ? { pollingIntervalMs: options.pollingIntervalMs } : {}),
    });
  }

  /** The address that signs writes, or throws ERR_NO_SIGNER on a read-only client. */
  async signerAddress(): Promise<string> {
    return getAddress(await this.requireSigner('Reading the signer').getAddress());
  }

  /** Stops the client's providers. */
  close(): void {
    this.reader.destroy();
  }

  // ---- what is at the address ----

  /** The chain id the node at the first answering URL reports (may differ from {@link chainId} on a misconfiguration). */
  async nodeChainId(): Promise<number> {
    return this.read('Reading the chain id', async (_c, provider) => Number(BigInt(String(await provider.send('eth_chainId', [])))));
  }

  /** Whether any contract code is deployed at the registry address (false for an EOA or an empty address). */
  async hasCode(): Promise<boolean> {
    return this.read('Reading the registry code', async (_c, provider) => (await provider.getCode(this.address)) !== '0x');
  }

  /**
   * ERC-165: whether the contract at the address says it implements `interfaceId` (default: the registry v2
   * interface). False, never an error, for an address without code or a contract without ERC-165; ERR_RPC_UNAVAILABLE
   * only when no endpoint answers.
   */
  async supportsInterface(interfaceId: string = REGISTRY_INTERFACE_ID): Promise<boolean> {
    try {
      return await this.read('Asking for the registry interface', (c) => c.getFunction('supportsInterface').staticCall(interfaceId) as Promise<boolean>);
    } catch (error) {
      if (error instanceof MicrocredError && error.code === 'ERR_RPC_UNAVAILABLE') throw error;
      return false;
    }
  }

  // ---- issuer identities (accreditors and issuer admins) ----

  /** `keccak256(bytes(did))`, computed locally (the contract's `issuerIdOf` gives the same). */
  issuerIdOf(did: string): string {
    return issuerIdOf(did);
  }

  /**
   * Registers the issuer `did` (active) with `admin` managing its operators; requires ACCREDITOR_ROLE. Then adds each
   * of `operators` (the accreditor may), each in its own transaction. Resolves with the registration and the issuer id.
   */
  async registerIssuer(
    did: string,
    name: string,
    admin: string,
    operators: readonly string[] = [],
    options?: WriteOptions,
  ): Promise<MinedTransaction & { issuerId: string }> {
    // Guards against the v1 argument order (operator address, did, name), which would otherwise type-check.
    const notAddress = [admin, ...operators].find((value) => !isAddress(value));
    if (notAddress !== undefined) {
      throw new MicrocredError('ERR_INVALID_ADDRESS', `registerIssuer(did, name, admin, operators): ${String(notAddress)} is not a 0x address; pass the issuer's DID first.`, {
        details: { address: notAddress },
      });
    }
    const mined = await this.write('Registering the issuer', 'registerIssuer', [did, name, admin], options);
    const issuerId = issuerIdOf(did);
    for (const operator of operators) await this.addOperator(issuerId, operator, options);
    return { ...mined, issuerId };
  }

  /** Hands the administration of `issuer` to `newAdmin`; requires its admin or an accreditor. */
  async setIssuerAdmin(issuer: IssuerRef, newAdmin: string, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Changing the issuer admin', 'setIssuerAdmin', [toIssuerId(issuer), newAdmin], options);
  }

  /** Suspends `issuer` (its operators can neither anchor nor change statuses); requires ACCREDITOR_ROLE. */
  async suspendIssuer(issuer: IssuerRef, reason = 0, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Suspending the issuer', 'suspendIssuer', [toIssuerId(issuer), reason], options);
  }

  /** Reinstates a suspended `issuer`; requires ACCREDITOR_ROLE. */
  async reinstateIssuer(issuer: IssuerRef, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Reinstating the issuer', 'reinstateIssuer', [toIssuerId(issuer)], options);
  }

  /** Makes `operator` act for `issuer`; requires the issuer's admin or an accreditor. */
  async addOperator(issuer: IssuerRef, operator: string, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Adding the operator', 'addOperator', [toIssuerId(issuer), operator], options);
  }

  /** Takes every power of `operator` for `issuer` away; requires the issuer's admin or an accreditor. */
  async removeOperator(issuer: IssuerRef, operator: string, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Removing the operator', 'removeOperator', [toIssuerId(issuer), operator], options);
  }

  /** Gives `account` ACCREDITOR_ROLE; requires the admin role. */
  async grantAccreditor(account: string, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Granting the accreditor role', 'grantRole', [ACCREDITOR_ROLE, account], options);
  }

  /** Whether `account` holds ACCREDITOR_ROLE. */
  async isAccreditor(account: string): Promise<boolean> {
    return this.read('Reading roles', (c) => c.getFunction('hasRole').staticCall(ACCREDITOR_ROLE, account) as Promise<boolean>);
  }

  /** The issuer (by DID or id) with its operators, or null when it was never registered. */
  async issuerOf(issuer: IssuerRef): Promise<IssuerRecord | null> {
    const id = toIssuerId(issuer);
    const raw = await this.read('Reading the issuer', (c) => c.getFunction('issuerOf').staticCall(id) as Promise<IssuerTuple>);
    if (raw.registeredAt === 0n) return null;
    return {
      id,
      did: raw.did,
      name: raw.name,
      admin: getAddress(raw.admin),
      registeredAt: Number(raw.registeredAt),
      active: raw.active,
      operators: [...raw.operators].map((operator) => getAddress(operator)),
    };
  }

  /** The id of the issuer `operator` acts for, or null when it is no issuer's operator. */
  async issuerOfOperator(operator: string): Promise<string | null> {
    const id = await this.read('Reading the operator', (c) => c.getFunction('issuerOfOperator').staticCall(operator) as Promise<string>);
    return BigInt(id) === 0n ? null : id.toLowerCase();
  }

  // ---- anchoring (operators) ----

  /**
   * Broadcasts `anchor(root)` and returns as soon as the node accepted it, so a caller can record the hash
   * before waiting. A revert that the node predicts (e.g. ERR_ROOT_ALREADY_ANCHORED) throws before anything is sent.
   */
  async sendAnchor(root: string): Promise<SentTransaction> {
    const tx = await this.broadcast('Anchoring the root', 'anchor', [root]);
    return { hash: tx.hash, nonce: tx.nonce };
  }

  /**
   * Waits until transaction `hash` has `confirmations` blocks (counting its own) and returns its outcome, or null
   * when the chain does not know the transaction (never arrived, dropped, or the chain was reset). Polls every
   * `pollingIntervalMs`; throws ERR_RECEIPT_TIMEOUT after `timeoutMs` (default 5 minutes).
   */
  async waitForReceipt(hash: string, confirmations = 1, options: { timeoutMs?: number } = {}): Promise<MinedTransaction | null> {
    // Our own loop rather than ethers' waitForTransaction: that one misses a block mined between its first check
    // and its block subscription, and then waits for one block too many (forever on an idle automining chain).
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS);
    for (;;) {
      const outcome = await this.read('Waiting for the transaction', async (_c, provider): Promise<MinedTransaction | null | 'pending'> => {
        const receipt = await provider.getTransactionReceipt(hash);
        if (!receipt) return (await provider.getTransaction(hash)) ? 'pending' : null;
        const head = await provider.getBlockNumber();
        if (head - receipt.blockNumber + 1 < confirmations) return 'pending';
        const block = await provider.getBlock(receipt.blockNumber);
        return {
          hash,
          blockNumber: receipt.blockNumber,
          timestamp: block ? block.timestamp : 0,
          status: receipt.status === 1 ? 'success' : 'reverted',
          gasUsed: receipt.gasUsed,
        };
      });
      if (outcome !== 'pending') return outcome;
      if (Date.now() >= deadline) {
        throw new MicrocredError('ERR_RECEIPT_TIMEOUT', `Transaction ${hash} did not reach ${confirmations} confirmation(s) in time; wait longer or check the node`, {
          details: { hash, confirmations },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollingIntervalMs));
    }
  }

  /** Anchors `root` and waits for `confirmations` (default 1); throws ERR_TX_REVERTED if it was mined but reverted. */
  async anchor(root: string, options?: WriteOptions): Promise<MinedTransaction & SentTransaction> {
    const sent = await this.sendAnchor(root);
    const mined = await this.confirm('Anchoring the root', sent.hash, options);
    return { ...mined, nonce: sent.nonce };
  }

  /** When `issuer` anchored `root`, or null when it never did (whatever other issuers anchored). */
  async anchorOf(issuer: IssuerRef, root: string): Promise<AnchorRecord | null> {
    const raw = await this.read('Reading the anchor', (c) =>
      c.getFunction('anchorOf').staticCall(toIssuerId(issuer), root) as Promise<{ anchoredAt: bigint; blockNumber: bigint }>,
    );
    if (raw.anchoredAt === 0n) return null;
    return { anchoredAt: Number(raw.anchoredAt), blockNumber: Number(raw.blockNumber) };
  }

  /** `RootAnchored` events, optionally of one issuer and one root, from `fromBlock` (default 0) to the latest block. */
  async rootAnchoredEvents(filter: { issuer?: IssuerRef; root?: string } = {}, fromBlock = 0): Promise<RootAnchoredEvent[]> {
    const issuerId = filter.issuer === undefined ? null : toIssuerId(filter.issuer);
    return this.read('Reading RootAnchored events', async (c) => {
      const logs = await c.queryFilter(c.filters.RootAnchored!(issuerId, filter.root ?? null), fromBlock, 'latest');
      return logs.map((log) => {
        const parsed = this.iface.parseLog(log)!;
        return {
          issuerId: String(parsed.args[0]).toLowerCase(),
          root: String(parsed.args[1]).toLowerCase(),
          operator: getAddress(String(parsed.args[2])),
          blockNumber: log.blockNumber,
          transactionHash: log.transactionHash,
        };
      });
    });
  }

  /** How many times `issuer` anchored `root` according to the logs (0 or 1 on a working registry). */
  async countRootAnchoredEvents(issuer: IssuerRef, root: string, fromBlock = 0): Promise<number> {
    return (await this.rootAnchoredEvents({ issuer, root }, fromBlock)).length;
  }

  // ---- leaf status (operators, on their issuer's roots) ----

  /** Revokes `leaf` for good; `path` must lead to a `root` the signer's issuer anchored. */
  async revoke(leaf: string, root: string, path: readonly string[], reason = 0, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Revoking the credential', 'revoke', [leaf, root, path, reason], options);
  }

  /** Suspends `leaf`; `path` must lead to a `root` the signer's issuer anchored. */
  async suspend(leaf: string, root: string, path: readonly string[], reason = 0, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Suspending the credential', 'suspend', [leaf, root, path, reason], options);
  }

  /** Reinstates a suspended `leaf`; `path` must lead to a `root` the signer's (active) issuer anchored. */
  async reinstate(leaf: string, root: string, path: readonly string[], reason = 0, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Reinstating the credential', 'reinstate', [leaf, root, path, reason], options);
  }

  /**
   * Broadcasts `revoke`/`suspend`/`reinstate` and returns once the node accepted it, so a caller (the anchoring
   * outbox) can record the hash before waiting. A predictable revert throws before sending.
   */
  async sendStatusChange(action: StatusChangeAction, leaf: string, root: string, path: readonly string[], reason = 0): Promise<SentTransaction> {
    const tx = await this.broadcast(`Sending ${action}`, action, [leaf, root, path, reason]);
    return { hash: tx.hash, nonce: tx.nonce };
  }

  /** `LeafRevoked`/`LeafSuspended`/`LeafReinstated` events of `issuer` (optionally of one `leaf`), oldest first. */
  async leafStatusEvents(issuer: IssuerRef, leaf?: string, fromBlock = 0): Promise<LeafStatusEvent[]> {
    const issuerId = toIssuerId(issuer);
    return this.read('Reading status events', async (c) => {
      const found: LeafStatusEvent[] = [];
      for (const [name, action] of [['LeafRevoked', 'revoke'], ['LeafSuspended', 'suspend'], ['LeafReinstated', 'reinstate']] as const) {
        const logs = await c.queryFilter(c.filters[name]!(issuerId, leaf ?? null), fromBlock, 'latest');
        for (const log of logs) {
          const parsed = this.iface.parseLog(log)!;
          found.push({
            action,
            issuerId: String(parsed.args[0]).toLowerCase(),
            leaf: String(parsed.args[1]).toLowerCase(),
            root: String(parsed.args[2]).toLowerCase(),
            reason: Number(parsed.args[3]),
            operator: getAddress(String(parsed.args[4])),
            blockNumber: log.blockNumber,
            logIndex: log.index,
            transactionHash: log.transactionHash,
          });
        }
      }
      return found.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
    });
  }

  /** The signer's nonces: mined (`latest`) and counting the node's pending pool (`pending`). */
  async accountNonces(): Promise<{ latest: number; pending: number }> {
    const signer = this.requireSigner('Reading the account nonce');
    try {
      return { latest: await signer.getNonce('latest'), pending: await signer.getNonce('pending') };
    } catch (error) {
      throw toChainError(error, this.iface, 'Reading the account nonce');
    }
  }

  /** The status `issuer` recorded for `leaf` (readable without any anchor proof). */
  async leafStateOf(issuer: IssuerRef, leaf: string): Promise<LeafState> {
    const raw = await this.read('Reading the credential status', (c) =>
      c.getFunction('leafStateOf').staticCall(toIssuerId(issuer), leaf) as Promise<{ status: bigint; reason: bigint; since: bigint }>,
    );
    return { status: statusName(raw.status), reason: Number(raw.reason), since: Number(raw.since) };
  }

  // ---- the verifier's reads ----

  /** Everything one verification needs about (issuer, root, leaf, path) in one view call. */
  async lookup(issuer: IssuerRef, root: string, leaf: string, path: readonly string[]): Promise<LookupResult> {
    const issuerId = toIssuerId(issuer);
    const raw = await this.read('Looking up the credential', (c) => c.getFunction('lookup').staticCall(issuerId, root, leaf, path) as Promise<LookupTuple>);
    return lookupResult(issuerId, raw);
  }

  /**
   * {@link lookup} for many credentials: one `eth_call` per {@link LOOKUP_MANY_CHUNK} queries (or `chunk`), answers in
   * query order. The caller decides how many to ask at once; an empty list makes no call.
   */
  async lookupMany(queries: readonly LookupQuery[], chunk = LOOKUP_MANY_CHUNK): Promise<LookupResult[]> {
    const results: LookupResult[] = [];
    for (let start = 0; start < queries.length; start += chunk) {
      const slice = queries.slice(start, start + chunk).map((q) => ({ issuerId: toIssuerId(q.issuer), root: q.root, leaf: q.leaf, path: [...q.path] }));
      const raw = await this.read('Looking up credentials', (_c, provider) => this.callLookupMany(provider, slice));
      raw.forEach((tuple, i) => results.push(lookupResult(slice[i]!.issuerId, tuple)));
    }
    return results;
  }

  // ---- plumbing ----

  /**
   * One lookupMany eth_call, its calldata packed and its answer read by the fast coder (byte-identical to ethers',
   * which falls back to the Interface for anything unusual). Sent with `send`, as the Contract would after formatting
   * the same request; a revert's data becomes the contract's custom error, as Contract.staticCall does.
   */
  private async callLookupMany(provider: JsonRpcProvider, slice: ReadonlyArray<{ issuerId: string; root: string; leaf: string; path: string[] }>): Promise<LookupTuple[]> {
    const codec = lookupManyCodec(this.iface);
    const data = codec?.encode(slice) ?? this.iface.encodeFunctionData('lookupMany', [slice]);
    const tx = { to: this.address.toLowerCase(), data };
    let result: unknown;
    try {
      result = await provider.send('eth_call', [tx, 'latest']);
    } catch (error) {
      if (isCallException(error) && error.data) throw this.iface.makeError(error.data, tx);
      throw error;
    }
    const fast = typeof result === 'string' ? codec?.decode(result) : undefined;
    return fast ?? (this.iface.decodeFunctionResult('lookupMany', hexlify(result as string))[0] as LookupTuple[]);
  }

  private requireSigner(action: string): Signer {
    if (!this.signer) throw new MicrocredError('ERR_NO_SIGNER', `${action} needs a signing key, but this client is read-only; connect with a privateKey`);
    return this.signer;
  }

  // Every read goes through the failover reader; errors become MicrocredErrors with stable codes.
  private async read<T>(action: string, call: (contract: Contract, provider: JsonRpcProvider) => Promise<T>): Promise<T> {
    try {
      return await this.reader.run((provider) => call(new Contract(this.address, this.iface, provider), provider));
    } catch (error) {
      throw toChainError(error, this.iface, action);
    }
  }

  /**
   * Sends one transaction, serialised behind earlier ones. Gas is estimated first, so a predictable revert throws
   * before a nonce is used (ethers' NonceManager counts the nonce before estimating, leaving a gap on revert);
   * the nonce is then explicit, and re-read from the node after any failure.
   */
  private broadcast(action: string, method: string, args: readonly unknown[]): Promise<TransactionResponse> {
    const run = async (): Promise<TransactionResponse> => {
      const signer = this.requireSigner(action);
      try {
        const request = { to: this.address, data: this.iface.encodeFunctionData(method, args) };
        const gas = await signer.estimateGas(request);
        const nonce = this.nextNonce ?? (await signer.getNonce('pending'));
        // 20% headroom: state can change between the estimate and inclusion on a busy chain.
        const tx = await signer.sendTransaction({ ...request, gasLimit: gas + gas / 5n, nonce });
        this.nextNonce = nonce + 1;
        return tx;
      } catch (error) {
        this.nextNonce = undefined;
        throw toChainError(error, this.iface, action);
      }
    };
    const result = this.writeQueue.then(run, run);
    this.writeQueue = result.catch(() => undefined);
    return result;
  }

  private async write(action: string, method: string, args: readonly unknown[], options?: WriteOptions): Promise<MinedTransaction> {
    const tx = await this.broadcast(action, method, args);
    return this.confirm(action, tx.hash, options);
  }

  private async confirm(action: string, hash: string, options: WriteOptions = {}): Promise<MinedTransaction> {
    const mined = await this.waitForReceipt(hash, options.confirmations ?? 1, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
    if (!mined) {
      throw new MicrocredError('ERR_TX_DROPPED', `${action}: transaction ${hash} disappeared from the chain; send it again`, { details: { hash } });
    }
    if (mined.status !== 'success') {
      throw new MicrocredError('ERR_TX_REVERTED', `${action}: transaction ${hash} was mined but reverted; check the registry state`, {
        details: { hash, blockNumber: mined.blockNumber },
      });
    }
    return mined;
  }
}
