import { WalletError, WalletErrorCode } from '@citycred/wallet-core';
import { fill } from '@citycred/web-ui';
import type { Texts } from './texts.js';

/** What the wallet tells the user for an error of the vault, by its code (never by its message). */
export function errorText(error: unknown, t: Texts): string {
  if (error instanceof WalletError) {
    switch (error.code) {
      case WalletErrorCode.InvalidPin:
        return t.pinInvalid;
      case WalletErrorCode.WeakPassphrase:
        return t.weakPassphrase;
      case WalletErrorCode.BackupUnreadable:
        return t.backupUnreadable;
      case WalletErrorCode.BackupMalformed:
        return t.backupMalformed;
      case WalletErrorCode.Locked:
        return t.locked;
      case WalletErrorCode.AlreadySetUp:
        return t.alreadySetUp;
      case WalletErrorCode.Corrupted:
        return t.corrupted;
      default:
        break;
    }
  }
  return fill(t.failed, { message: error instanceof Error ? error.message : String(error) });
}
