import type { AnchorReceipt } from './ledger.js';
import type { Hex32 } from './merkle.js';

/** The identity an anchor is written in the name of: an issuer's did:ethr identity address (a tenant's). */
export interface AnchorIssuer {
  /** The identity's address (checksummed or lower case): CredentialAnchor keys anchors by it. */
  readonly address: string;
}

/** What one anchoring transaction records: a batch root in the issuer's name. */
export interface AnchorRequest {
  /** A credential type name the issuer is accredited for now (the contract refuses the root otherwise). */
  credentialType: string;
  root: Hex32;
  /** How many leaves the root's tree has (a uint32 on chain). */
  leafCount: number;
}

/**
 * Why a submission failed, as stable codes the anchoring worker branches on:
 * - the CredentialAnchor refusals, by their custom error's name: `RootAlreadyAnchored` (this issuer anchored the root
 *   before: an earlier transaction of ours), `NotIdentityOwner` (the key that sent is not the identity's ERC-1056
 *   owner now), `IssuerNotAccredited` (not for the type named, now), `EmptyRoot`, `EmptyBatch` (the first two may
 *   also come from the adapter's own reads before it sends anything);
 * - `nonce-taken`: another transaction from the same account took the nonce (another worker's), nothing of ours landed;
 * - `timeout`: sent, but not mined in time (it may still be mined: look the root up before sending again);
 * - `unavailable`: the chain did not answer;
 * - `unknown`: anything else (a failed transaction without a known reason).
 */
export const ANCHOR_WRITE_FAILURES = [
  'RootAlreadyAnchored',
  'NotIdentityOwner',
  'IssuerNotAccredited',
  'EmptyRoot',
  'EmptyBatch',
  'nonce-taken',
  'timeout',
  'unavailable',
  'unknown',
] as const;

/** One of {@link ANCHOR_WRITE_FAILURES}. */
export type AnchorWriteFailure = (typeof ANCHOR_WRITE_FAILURES)[number];

/** A submission that did not land, with a stable {@link AnchorWriteFailure} code; the adapter's own error is the `cause`. */
export class AnchorWriteError extends Error {
  /** The account the transaction was sent from, when known. */
  readonly sender: string | undefined;

  /**
   * @param reason - stable code, see {@link ANCHOR_WRITE_FAILURES}
   * @param message - human explanation (for logs and the batch's last error), never parsed
   * @param options - `sender`: the account the transaction was sent from, when known; `cause`: the adapter's error
   */
  constructor(
    readonly reason: AnchorWriteFailure,
    message: string,
    options: { sender?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AnchorWriteError';
    this.sender = options.sender;
  }
}

/**
 * Write side of the chain port: sends an anchoring transaction in an issuer's name, from the key that owns the
 * issuer's identity now. The anchoring domain depends on this interface only; the ethers implementation lives in
 * `@citycred/chain` (`CityAnchorWriter`).
 * @typeParam I - what the caller identifies an issuer by (the issuer app passes its tenant rows)
 */
export interface AnchorWriter<I extends AnchorIssuer = AnchorIssuer> {
  /**
   * The account anchors of `issuer` are sent from now (its current signing key's address).
   * @throws whatever the key store throws when the issuer's key cannot be loaded
   */
  currentSender(issuer: I): Promise<string>;
  /**
   * Anchors the root in `issuer`'s name from its current key (registering that key as the issuer's anchorer for the
   * type first when the contract does not have it yet) and waits until it is mined.
   * @param options.timeoutMs - how long to wait for the transactions to be mined; they may still be mined later
   * @returns the receipt: transaction, block, block time and the gas it used
   * @throws AnchorWriteError with a stable `reason` for every failure of the chain or the contract
   */
  submitAnchor(issuer: I, request: AnchorRequest, options: { timeoutMs: number }): Promise<AnchorReceipt>;
}
