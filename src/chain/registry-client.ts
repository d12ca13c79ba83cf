// Typed client for the CredentialRegistry: issuer administration, anchoring, leaf status and the verifier read.
import { Contract, Wallet, ZeroAddress, getAddress, id as keccakText } from 'ethers';
import type { JsonRpcProvider, Signer, TransactionResponse } from 'ethers';
import { MicrocredError } from '../errors';
import { loadRegistryArtifact } from './artifact';
import { toChainError } from './errors';
import { FailoverReader } from './failover';
import { detectChainId, makeRpcProvider } from './provider';
import type { RpcOptions } from './provider';
import { LEAF_STATUSES } from './types';
import type {
  AnchorRecord,
  IssuerRecord,
  LeafState,
  LeafStatus,
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
  readonly leaf: string;
  readonly root: string;
  readonly issuer: string;
  readonly reason: number;
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
  registeredAt: bigint;
  active: boolean;
}
interface LookupTuple {
  anchoredBy: string;
  anchoredAt: bigint;
  leafInRoot: boolean;
  status: bigint;
  statusReason: bigint;
  statusSince: bigint;
  issuerActive: boolean;
  issuerRegistered: boolean;
  issuerDid: string;
  issuerName: string;
}

const statusName = (value: bigint): LeafStatus => LEAF_STATUSES[Number(value)] ?? 'active';

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

  // ---- issuer administration (accreditors) ----

  /** Registers `issuer` with its DID and name; requires ACCREDITOR_ROLE. */
  async registerIssuer(issuer: string, did: string, name: string, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Registering the issuer', 'registerIssuer', [issuer, did, name], options);
  }

  /** Suspends `issuer` (it can no longer anchor); requires ACCREDITOR_ROLE. */
  async suspendIssuer(issuer: string, reason = 0, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Suspending the issuer', 'suspendIssuer', [issuer, reason], options);
  }

  /** Reinstates a suspended `issuer`; requires ACCREDITOR_ROLE. */
  async reinstateIssuer(issuer: string, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Reinstating the issuer', 'reinstateIssuer', [issuer], options);
  }

  /** Gives `account` ACCREDITOR_ROLE; requires the admin role. */
  async grantAccreditor(account: string, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Granting the accreditor role', 'grantRole', [ACCREDITOR_ROLE, account], options);
  }

  /** Whether `account` holds ACCREDITOR_ROLE. */
  async isAccreditor(account: string): Promise<boolean> {
    return this.read('Reading roles', (c) => c.getFunction('hasRole').staticCall(ACCREDITOR_ROLE, account) as Promise<boolean>);
  }

  /** The issuer registered at `issuer`, or null when it was never registered. */
  async getIssuer(issuer: string): Promise<IssuerRecord | null> {
    const raw = await this.read('Reading the issuer', (c) => c.getFunction('getIssuer').staticCall(issuer) as Promise<IssuerTuple>);
    if (raw.registeredAt === 0n) return null;
    return { address: getAddress(issuer), did: raw.did, name: raw.name, registeredAt: Number(raw.registeredAt), active: raw.active };
  }

  // ---- anchoring (issuers) ----

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

  /** Who anchored `root` and when, or null when it was never anchored. */
  async anchorOf(root: string): Promise<AnchorRecord | null> {
    const raw = await this.read('Reading the anchor', (c) => c.getFunction('anchorOf').staticCall(root) as Promise<{ issuer: string; anchoredAt: bigint }>);
    if (raw.issuer === ZeroAddress) return null;
    return { issuer: getAddress(raw.issuer), anchoredAt: Number(raw.anchoredAt) };
  }

  /** Every `RootAnchored` event, optionally for one root, from `fromBlock` (default 0) to the latest block. */
  async rootAnchoredEvents(root?: string, fromBlock = 0): Promise<RootAnchoredEvent[]> {
    return this.read('Reading RootAnchored events', async (c) => {
      const filter = c.filters.RootAnchored!(root ?? null);
      const logs = await c.queryFilter(filter, fromBlock, 'latest');
      return logs.map((log) => {
        const parsed = this.iface.parseLog(log)!;
        return {
          root: String(parsed.args[0]),
          issuer: getAddress(String(parsed.args[1])),
          timestamp: Number(parsed.args[2]),
          blockNumber: log.blockNumber,
          transactionHash: log.transactionHash,
        };
      });
    });
  }

  /** How many times `root` was anchored according to the logs (0 or 1 on a working registry). */
  async countRootAnchoredEvents(root: string, fromBlock = 0): Promise<number> {
    return (await this.rootAnchoredEvents(root, fromBlock)).length;
  }

  // ---- leaf status (issuers, on their own roots) ----

  /** Revokes `leaf` for good; `path` must lead to a `root` this signer anchored. */
  async revoke(leaf: string, root: string, path: readonly string[], reason = 0, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Revoking the credential', 'revoke', [leaf, root, path, reason], options);
  }

  /** Suspends `leaf`; `path` must lead to a `root` this signer anchored. */
  async suspend(leaf: string, root: string, path: readonly string[], reason = 0, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Suspending the credential', 'suspend', [leaf, root, path, reason], options);
  }

  /** Reinstates a suspended `leaf`; `path` must lead to a `root` this (active) signer anchored. */
  async reinstate(leaf: string, root: string, path: readonly string[], reason = 0, options?: WriteOptions): Promise<MinedTransaction> {
    return this.write('Reinstating the credential', 'reinstate', [leaf, root, path, reason], options);
  }

  /**
   * Broadcasts `revoke`/`suspend`/`reinstate` and returns once the node accepted it, so a caller (the anchoring
   * outbox) can record the hash before waiting. Added for src/anchoring; a predictable revert throws before sending.
   */
  async sendStatusChange(action: StatusChangeAction, leaf: string, root: string, path: readonly string[], reason = 0): Promise<SentTransaction> {
    const tx = await this.broadcast(`Sending ${action}`, action, [leaf, root, path, reason]);
    return { hash: tx.hash, nonce: tx.nonce };
  }

  /** `LeafRevoked`/`LeafSuspended`/`LeafReinstated` events of `leaf`, oldest first (added for src/anchoring). */
  async leafStatusEvents(leaf: string, fromBlock = 0): Promise<LeafStatusEvent[]> {
    return this.read('Reading status events', async (c) => {
      const found: LeafStatusEvent[] = [];
      for (const [name, action] of [['LeafRevoked', 'revoke'], ['LeafSuspended', 'suspend'], ['LeafReinstated', 'reinstate']] as const) {
        const logs = await c.queryFilter(c.filters[name]!(leaf), fromBlock, 'latest');
        for (const log of logs) {
          const parsed = this.iface.parseLog(log)!;
          found.push({
            action,
            leaf: String(parsed.args[0]),
            root: String(parsed.args[1]),
            issuer: getAddress(String(parsed.args[2])),
            reason: Number(parsed.args[3]),
            blockNumber: log.blockNumber,
            logIndex: log.index,
            transactionHash: log.transactionHash,
          });
        }
      }
      return found.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
    });
  }

  /** The signer's nonces: mined (`latest`) and counting the node's pending pool (`pending`); added for src/anchoring. */
  async accountNonces(): Promise<{ latest: number; pending: number }> {
    const signer = this.requireSigner('Reading the account nonce');
    try {
      return { latest: await signer.getNonce('latest'), pending: await signer.getNonce('pending') };
    } catch (error) {
      throw toChainError(error, this.iface, 'Reading the account nonce');
    }
  }

  /** The status `issuer` recorded for `leaf`. */
  async leafStateOf(issuer: string, leaf: string): Promise<LeafState> {
    const raw = await this.read('Reading the credential status', (c) =>
      c.getFunction('leafStateOf').staticCall(issuer, leaf) as Promise<{ status: bigint; reason: bigint; since: bigint }>,
    );
    return { status: statusName(raw.status), reason: Number(raw.reason), since: Number(raw.since) };
  }

  // ---- the verifier's read ----

  /** Everything a verifier needs about (root, leaf, path) in one view call. */
  async lookup(root: string, leaf: string, path: readonly string[]): Promise<LookupResult> {
    const raw = await this.read('Looking up the credential', (c) => c.getFunction('lookup').staticCall(root, leaf, path) as Promise<LookupTuple>);
    return {
      anchoredBy: raw.anchoredBy === ZeroAddress ? null : getAddress(raw.anchoredBy),
      anchoredAt: Number(raw.anchoredAt),
      leafInRoot: raw.leafInRoot,
      status: statusName(raw.status),
      statusReason: Number(raw.statusReason),
      statusSince: Number(raw.statusSince),
      issuerDid: raw.issuerDid,
      issuerName: raw.issuerName,
      issuerActive: raw.issuerActive,
      issuerRegistered: raw.issuerRegistered,
    };
  }

  // ---- plumbing ----

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
