import { createHash } from 'node:crypto';
import { walletPresentLink } from '@citycred/credentials/wallet-links';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { decodeCompactJws, documentSignatureTransactionData, encodeTransactionData, splitSdJwt } from '@citycred/formats';
import { inTransaction } from '@citycred/persistence';
import type { DataSource, Repository } from 'typeorm';
import type { DigestAnchoringApi } from '../digest-anchoring/digest-anchoring.js';
import type { FulfilledPresentation, Oid4vpService } from '../oid4vp/oid4vp.service.js';
import type { PresentationRequestState } from '../oid4vp/presentation-request.entity.js';
import { SEOUL_CITIZEN_CARD, type PresentedCredential } from '../policies/index.js';
import { SignatureRequestEntity } from './signature-request.entity.js';
import { SIGNATURE_POLICY, SIGNATURE_WITH_NAME_POLICY } from './signature-policy.js';
import type { Hex32 } from '@citycred/anchoring';
import { receiptHashOf, verifySignatureReceipt, type SignatureReceipts, type SignatureVerification } from './signature-receipts.js';

/** Where the wallet's side of the signatures' OpenID4VP requests is served (request objects, responses). */
export const SIGNATURE_OID4VP_PATH = '/signatures';

/** What `POST /signatures/requests` takes. */
export interface NewSignatureRequest {
  /** `0x` + SHA-256 hex of the document (hashed in the browser: the document never leaves it). */
  documentHash: string;
  fileName: string;
  mediaType: string;
  /** Ask the citizen to disclose the card's name too (the receipt then carries it). */
  withName?: boolean | undefined;
}

/** What `POST /signatures/requests` answers. */
export interface CreatedSignatureRequest {
  requestId: string;
  /** The OpenID4VP request link (`openid4vp://…`), for a QR code. */
  requestLink: string;
  /** The link that opens the request in the citizen wallet on this device (the request link itself without `WALLET_URL`). */
  walletLink: string;
  qrSvg: string;
  expiresAt: string;
}

/** What `GET /signatures/requests/{id}` answers. */
export interface SignatureRequestStatus {
  requestId: string;
  state: PresentationRequestState;
  document: { hash: string; fileName: string; mediaType: string };
  expiresAt: string;
  /** The receipt (compact JWS), once signed. */
  receipt?: string;
  /** `0x` + SHA-256 of the receipt, once signed. */
  receiptHash?: string;
  /** Why the signature was refused (the wallet declined, the card was revoked…), once failed. */
  errors?: string[];
}

/** What the e-signature context is made of. */
export interface SignaturesDependencies {
  dataSource: DataSource;
  clock: Clock;
  /** The signatures' own OpenID4VP service (the signature policies; its `onFulfilled` is {@link Signatures.onFulfilled}). */
  oid4vp: () => Oid4vpService;
  receipts: SignatureReceipts;
  walletUrl: string | undefined;
  /** Where receipt hashes are anchored (ADR 0015): queued with the receipt, looked up when one is verified. */
  anchoring: Pick<DigestAnchoringApi, 'enqueue' | 'status'>;
  /** Tolerated clock difference between the receipt's `signedAt` and its anchor's block time (`CLOCK_SKEW_SECONDS`). */
  clockSkewSeconds: number;
}

/**
 * Electronic signatures with the citizen card (docs/e-signature.md): a signing request is an OpenID4VP 1.0 request for
 * the SD-JWT citizen card carrying the document as `transaction_data`; the wallet's KB-JWT binds it
 * (`transaction_data_hashes`); once the presentation verified (card signature, holder binding, nonce, status,
 * accredited issuer) the verifier signs a receipt. Anyone verifies a document and receipt later.
 */
export class Signatures {
  private readonly rows: Repository<SignatureRequestEntity>;

  constructor(private readonly deps: SignaturesDependencies) {
    this.rows = deps.dataSource.getRepository(SignatureRequestEntity);
  }

  /**
   * Makes a signing request for a document.
   * @param baseUrl - the verifier's public URL (no trailing slash)
   */
  async create(input: NewSignatureRequest, baseUrl: string): Promise<CreatedSignatureRequest> {
    const data = documentSignatureTransactionData({ hash: input.documentHash, fileName: input.fileName, mediaType: input.mediaType }, [SEOUL_CITIZEN_CARD]);
    const created = await this.deps.oid4vp().create(
      { policy: input.withName ? SIGNATURE_WITH_NAME_POLICY : SIGNATURE_POLICY, purpose: `문서에 서명 · Sign a document: ${input.fileName}`.slice(0, 200), transactionData: [data] },
      `${baseUrl}${SIGNATURE_OID4VP_PATH}`,
    );
    await this.rows.insert({ id: created.id, documentHash: input.documentHash, fileName: input.fileName, mediaType: input.mediaType, receipt: null, createdAt: this.deps.clock.now().toISOString() });
    return { requestId: created.id, requestLink: created.deepLink, walletLink: walletPresentLink(this.deps.walletUrl, created.deepLink), qrSvg: created.qrSvg, expiresAt: created.expiresAt };
  }

  /**
   * The request's state, and its receipt once signed.
   * @throws AppError `signature.request-not-found`
   */
  async status(id: string): Promise<SignatureRequestStatus> {
    const row = await this.rows.findOneBy({ id });
    if (row === null) throw new AppError(ErrorCode.SignatureRequestNotFound, 'No signature request with this id.');
    const status = await this.deps.oid4vp().status(id);
    return {
      requestId: id,
      state: status.state,
      document: { hash: row.documentHash, fileName: row.fileName, mediaType: row.mediaType },
      expiresAt: status.expiresAt,
      ...(status.state === 'fulfilled' && row.receipt !== null ? { receipt: row.receipt, receiptHash: receiptHashOf(row.receipt) } : {}),
      ...(status.state === 'failed' && status.result ? { errors: status.result.errors } : {}),
    };
  }

  /**
   * Called by the signatures' OpenID4VP service for a presentation that verified, bound the document's transaction
   * data and satisfied the signature policy: signs and keeps the receipt. A throw leaves the request pending.
   */
  async onFulfilled(request: { id: string }, credentials: readonly PresentedCredential[], presentations: readonly FulfilledPresentation[]): Promise<void> {
    const row = await this.rows.findOneBy({ id: request.id });
    if (row === null) throw new Error('a signature presentation request has no signature request');
    const card = credentials.find((c) => c.type === SEOUL_CITIZEN_CARD);
    const sent = presentations.find((p) => p.credentialQueryId === SEOUL_CITIZEN_CARD && typeof p.presentation === 'string');
    if (card === undefined || sent === undefined || card.holder?.jwk === undefined || sent.holder === undefined) throw new Error('a satisfied signature policy without an SD-JWT citizen card bound to a key');
    const kbJwt = splitSdJwt(sent.presentation as string).kbJwt;
    if (kbJwt === undefined) throw new Error('a verified SD-JWT presentation without a KB-JWT');
    const nonce = decodeCompactJws(kbJwt).payload['nonce'];
    const name = card.claims['name'];
    const receipt = await this.deps.receipts.sign({
      jti: request.id,
      signedAt: this.deps.clock.now().toISOString(),
      document: { hash: row.documentHash, fileName: row.fileName, mediaType: row.mediaType },
      transactionData: encodeTransactionData(documentSignatureTransactionData({ hash: row.documentHash, fileName: row.fileName, mediaType: row.mediaType }, [SEOUL_CITIZEN_CARD])),
      nonce: String(nonce),
      card: { type: card.type, format: 'dc+sd-jwt', issuer: card.issuer, hash: card.hash, issuedAt: card.issuedAt.toISOString(), validUntil: card.validUntil?.toISOString() ?? null },
      holder: { did: sent.holder, jwk: { ...card.holder.jwk } },
      kbJwt,
      ...(typeof name === 'string' && name !== '' ? { disclosed: { name } } : {}),
    });
    // The receipt and its hash's place in the anchoring outbox commit together: no receipt is kept unanchored.
    await inTransaction(this.deps.dataSource, async (manager) => {
      await manager.update(SignatureRequestEntity, { id: request.id }, { receipt });
      await this.deps.anchoring.enqueue(manager, { kind: 'signature-receipt', digest: receiptHashOf(receipt) as Hex32 });
    });
  }

  /**
   * Checks a document (its hash) against a receipt ({@link verifySignatureReceipt}, with its anchor), never throwing
   * for a bad pair.
   * @param document - `{documentHash}` or `{document}` (the file's bytes, hashed here)
   */
  async verify(document: { documentHash: string } | { document: Uint8Array }, receipt: string): Promise<SignatureVerification> {
    const documentHash = 'documentHash' in document ? document.documentHash : `0x${createHash('sha256').update(document.document).digest('hex')}`;
    return verifySignatureReceipt(documentHash, receipt, this.deps.receipts.did, { anchoring: this.deps.anchoring, clockSkewSeconds: this.deps.clockSkewSeconds });
  }
}
