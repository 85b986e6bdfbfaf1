import type { Hex32 } from './merkle.js';

/** What the chain records for an anchored root. */
export interface OnChainAnchor {
  /** Address that anchored the root. */
  issuer: string;
  /** Block time of the anchoring transaction. */
  anchoredAt: Date;
  blockNumber: number;
  leafCount: number;
}

/** Receipt of an anchoring transaction. */
export interface AnchorReceipt {
  txHash: string;
  blockNumber: number;
  anchoredAt: Date;
}

/**
 * Port to the CredentialAnchor and IssuerRegistry contracts. The anchoring and verification domains
 * depend on this interface only; the ethers implementation lives in `@citycred/chain`.
 */
export interface AnchorLedger {
  /** Chain id of the city chain. */
  readonly chainId: number;
  /** Address of the CredentialAnchor contract. */
  readonly anchorContract: string;
  /**
   * What the chain records for `root`.
   * @returns null when the root was never anchored
   */
  findAnchor(root: Hex32): Promise<OnChainAnchor | null>;
  /**
   * The transaction that anchored `root`, found from its `RootAnchored` event.
   * @returns null when no event exists
   */
  findAnchorTransaction(root: Hex32): Promise<AnchorReceipt | null>;
  /**
   * Whether `issuer` was accredited for `credentialType` at `at`.
   */
  isAccredited(issuer: string, credentialType: string, at: Date): Promise<boolean>;
  /** Whether the chain answers at all; never throws. */
  isUp(): Promise<boolean>;
}
