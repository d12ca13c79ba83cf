// The well-known development accounts that Hardhat funds on its in-process network and in `hardhat node`.
import { HDNodeWallet, Mnemonic } from 'ethers';

/** A funded development account. Its key is public knowledge: never use it on a real chain. */
export interface DevAccount {
  /** Checksummed address. */
  readonly address: string;
  /** 0x-prefixed private key. */
  readonly privateKey: string;
}

/** Hardhat's default mnemonic; both the in-process network and `hardhat node` derive their accounts from it. */
export const HARDHAT_DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** The first `count` Hardhat development accounts (path m/44'/60'/0'/0/i), the same on every Hardhat chain. */
export function hardhatDevAccounts(count = 20): DevAccount[] {
  // The seed is derived once (PBKDF2 is the slow part); each account is a cheap child derivation.
  const base = HDNodeWallet.fromSeed(Mnemonic.fromPhrase(HARDHAT_DEV_MNEMONIC).computeSeed()).derivePath("m/44'/60'/0'/0");
  const accounts: DevAccount[] = [];
  for (let i = 0; i < count; i++) {
    const wallet = base.deriveChild(i);
    accounts.push({ address: wallet.address, privateKey: wallet.privateKey });
  }
  return accounts;
}
