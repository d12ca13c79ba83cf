// Read failover over several RPC endpoints: try them one at a time, move on only when an endpoint is unreachable.
import type { JsonRpcProvider } from 'ethers';
import { MicrocredError } from '../errors';
import { isNetworkError } from './errors';

/**
 * Runs reads against a list of providers, one at a time, starting with the last one that answered.
 *
 * Why not ethers' FallbackProvider: it fans requests out to several backends and compares answers (a quorum),
 * which costs extra requests, and it detects each backend's network at start, where a dead URL stalls. Verifiers
 * need the simpler guarantee that one dead endpoint costs one failed request and never a wrong answer: a revert
 * or a bad answer is returned as is; only transport failures move on to the next URL.
 */
export class FailoverReader {
  /** The providers, in the configured order. */
  readonly providers: readonly JsonRpcProvider[];
  private preferred = 0;

  /** @param providers At least one provider; they are tried in this order. */
  constructor(providers: readonly JsonRpcProvider[]) {
    if (providers.length === 0) throw new MicrocredError('ERR_NO_RPC_URL', 'No RPC URL was given: configure at least one');
    this.providers = providers;
  }

  /** Runs `read` on the preferred provider, then each other one in turn while the failure is a network failure. */
  async run<T>(read: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.providers.length; attempt++) {
      const index = (this.preferred + attempt) % this.providers.length;
      try {
        const result = await read(this.providers[index]!);
        this.preferred = index;
        return result;
      } catch (error) {
        if (!isNetworkError(error)) throw error;
        lastError = error;
      }
    }
    throw lastError;
  }

  /** Stops every provider's timers and sockets. */
  destroy(): void {
    for (const provider of this.providers) provider.destroy();
  }
}
