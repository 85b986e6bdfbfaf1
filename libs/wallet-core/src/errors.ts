/** Stable codes of {@link WalletError}: the app branches on these, never on the message. */
export const WalletErrorCode = {
  /** The wallet has no PIN yet (first run). */
  NotSetUp: 'wallet.not-set-up',
  /** A PIN is already set: set-up runs once per wallet (wipe first), also when another tab set it up first (reload). */
  AlreadySetUp: 'wallet.already-set-up',
  /** The passcode is not one the wallet takes (`PIN_PATTERN`: 6–32 digits, or 8–32 characters with letters). */
  InvalidPin: 'wallet.invalid-pin',
  /** The PIN does not open the wallet. */
  WrongPin: 'wallet.wrong-pin',
  /** Too many wrong PINs: the next try is allowed only after `retryAt`. */
  Throttled: 'wallet.throttled',
  /** The wallet is locked (never opened, locked by hand or after inactivity). */
  Locked: 'wallet.locked',
  /** No credential has this id. */
  NotFound: 'wallet.not-found',
  /** Stored data that does not decrypt or does not have the shape the wallet wrote. */
  Corrupted: 'wallet.corrupted',
  /** A backup file that is not one (not JSON, unknown format or version, missing members). */
  BackupMalformed: 'wallet.backup-malformed',
  /** A backup that does not decrypt: the wrong passphrase, or a file changed since it was written. */
  BackupUnreadable: 'wallet.backup-unreadable',
  /** A backup passphrase shorter than the minimum. */
  WeakPassphrase: 'wallet.weak-passphrase',
} as const;
export type WalletErrorCode = (typeof WalletErrorCode)[keyof typeof WalletErrorCode];

/** The one error the wallet core throws for what a user or stored data did wrong. Branch on `code`. */
export class WalletError extends Error {
  /**
   * @param code - what went wrong, stable
   * @param message - an English sentence for logs; the app shows its own text per code
   * @param retryAt - with {@link WalletErrorCode.Throttled}: when the next PIN may be tried
   */
  constructor(
    readonly code: WalletErrorCode,
    message: string,
    readonly retryAt?: Date,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WalletError';
  }
}
