import type { Hex32 } from './merkle.js';

/** What the chain records for a root anchored by one issuer (CredentialAnchor keys anchors by issuer and root). */
export interface OnChainAnchor {
  /** Block time of the anchoring transaction. */
  anchoredAt: Date;
  blockNumber: number;
  leafCount: number;
}

/** Receipt of an anchoring transaction. */
export interface AnchorReceipt {
  txHash: string;
  blockNumber: number;
  /** Block time of the transaction's block. */
  anchoredAt: Date;
  /** Gas the transaction used (gas units: far below 2^53). */
  gasUsed: number;
  /** Wei paid per unit of gas (the receipt's effective gas price). */
  effectiveGasPrice: bigint;
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
   * What the chain records for `root` anchored by `issuerAddress` (the did:ethr identity address). A root anchored
   * by anyone else is not an anchor of this issuer: nobody can anchor, or pre-empt, a root in another issuer's name.
   * @returns null when that issuer never anchored the root
   */
  findAnchor(issuerAddress: string, root: Hex32): Promise<OnChainAnchor | null>;
  /**
   * The transaction in which `issuerAddress` anchored `root`, found from its `RootAnchored` event.
   * @returns null when no such event exists
   */
  findAnchorTransaction(issuerAddress: string, root: Hex32): Promise<AnchorReceipt | null>;
  /**
   * Whether `issuer` was accredited for `credentialType` at `at`.
   */
  isAccredited(issuer: string, credentialType: string, at: Date): Promise<boolean>;
  /** Whether the chain answers at all; never throws. */
  isUp(): Promise<boolean>;
}
