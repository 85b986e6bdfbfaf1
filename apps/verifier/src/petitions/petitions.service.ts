import { walletPresentLink } from '@citycred/credentials/wallet-links';
import type { Hex32 } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import type { EntityManager } from 'typeorm';
import type { DigestAnchoringApi } from '../digest-anchoring/digest-anchoring.js';
import type { Oid4vpService, PresentationRequestResult } from '../oid4vp/oid4vp.service.js';
import { SEOUL_CITIZEN_CARD, type LocalisedText, type PresentedCredential } from '../policies/index.js';
import { text } from '../policies/model.js';
import type { PetitionEntity } from './petition.entity.js';
import { PETITION_POLICY } from './petition-policy.js';
import type { NewPetitionRow, PetitionStore } from './petition-store.js';
import type { PetitionPseudonyms } from './pseudonyms.js';
import { PETITION_REFUSALS, refusalOf, type PetitionRefusalCode } from './refusal.js';
import { signatureLeafOf, tallyStatementOf, type PetitionTally } from './tally.js';

/** Where the wallet's side of the petitions' OpenID4VP requests is served (request objects, responses). */
export const PETITION_OID4VP_PATH = '/petitions';

/**
 * How a petition's tally digest stands on the city chain, anchored through the city issuer's anchoring (ADR 0015, the
 * verifier's digest outbox `digest-anchoring`):
 * - `pending`: enqueued at closing; `submitted` once the issuer accepted it, retried until then (issuer down, or an
 *   issuer that does not take digests yet);
 * - `anchored`: the issuer's Merkle proof folds the digest to `batchRoot`, which the city tenant (`issuerDid`)
 *   anchored in `block` while accredited for `PetitionTally` — checked against the chain by the verifier;
 * - `failed`: it will not be anchored (`detail`);
 * - `not-anchored`: this verifier has no digest anchoring.
 */
export type PetitionAnchoring =
  | { state: 'pending'; submitted: boolean; reason: LocalisedText }
  | { state: 'anchored'; block: number; time: string; batchRoot: string; proof: string[]; leafIndex: number; issuerDid: string; chainId: number; contract: string; txHash?: string }
  | { state: 'failed'; reason: LocalisedText; detail: string }
  | { state: 'not-anchored'; reason: LocalisedText };

/** What `GET /petitions/{id}` answers (no personal data: counts and hashes). */
export interface PetitionView {
  id: string;
  title: string;
  description: string;
  threshold: number;
  deadline: string;
  state: 'open' | 'closed';
  /** The live count (the final one once closed). */
  count: number;
  thresholdReached: boolean;
  createdAt: string;
  /** Once closed: the tally (docs/petitions.md, "Checking a tally"). */
  result?: {
    count: number;
    /** Merkle root of the signatures' leaf hashes; null when nobody signed. */
    root: string | null;
    closedAt: string;
    closedBy: 'deadline' | 'official';
    /** SHA-256 of the tally statement `{petitionId, count, root, closedAt}`. */
    tallyDigest: string;
    /** Where the leaf list is: `GET /petitions/{id}/signatures`. */
    signaturesUrl: string;
    /** How the tally digest stands on chain (`GET /petitions/{id}` and the close answer; not in the list). */
    anchoring?: PetitionAnchoring;
  };
}

/** What `GET /petitions/{id}/signatures` answers once the petition is closed. */
export interface PublishedTally extends PetitionTally {
  /** The exact statement whose SHA-256 is `digest`. */
  statement: string;
}

/** What `POST /petitions/{id}/signature-requests` answers. */
export interface CreatedPetitionRequest {
  requestId: string;
  /** The OpenID4VP request link (`openid4vp://…`), for a QR code. */
  requestLink: string;
  /** The link that opens the request in the citizen wallet on this device. */
  walletLink: string;
  qrSvg: string;
  expiresAt: string;
}

/** What `GET /petitions/{id}/signature-requests/{rid}` answers. */
export type PetitionRequestStatus =
  | { requestId: string; state: 'pending'; expiresAt: string }
  | { requestId: string; state: 'signed'; leafHash: string }
  | { requestId: string; state: 'refused'; code: PetitionRefusalCode; reason: LocalisedText }
  | { requestId: string; state: 'expired'; reason: LocalisedText };

/** What the petitions context is made of. */
export interface PetitionsDependencies {
  store: PetitionStore;
  pseudonyms: PetitionPseudonyms;
  clock: Clock;
  /** The petitions' own OpenID4VP service (the petition policy; its `onFulfilled` is {@link Petitions.onFulfilled}). */
  oid4vp: () => Oid4vpService;
  walletUrl: string | undefined;
  /** The verifier's digest outbox (ADR 0015): the tally digest is enqueued at closing, and its state read. Absent: not anchored. */
  anchoring?: Pick<DigestAnchoringApi, 'enqueue' | 'status'>;
}

const ANCHORING_REASONS = {
  notAnchored: text('이 검증 서비스는 청구 결과를 블록체인에 기록하지 않습니다. 공개된 서명 목록으로 누구나 집계와 루트를 다시 계산할 수 있습니다.', 'This verifier does not anchor petition tallies; anyone can recompute the count and root from the published signature list.'),
  pending: text('집계 다이제스트가 블록체인 기록을 기다리고 있습니다.', 'The tally digest is waiting to be anchored on the city chain.'),
  failed: text('집계 다이제스트를 블록체인에 기록하지 못했습니다.', 'The tally digest could not be anchored on the city chain.'),
};
const EXPIRED = text('요청 시간이 지났습니다. 다시 시도하세요.', 'The request timed out; try again.');

/**
 * Resident audit claims (docs/petitions.md): officials open petitions; Seoul residents aged 19 or over sign them with
 * the citizen card in the wallet (an OpenID4VP 1.0 request for the SD-JWT card asking `personId`, `ageOver19` and
 * `residence`); each person counts once by a per-petition keyed pseudonym; a closed petition publishes its count, the
 * Merkle root of its signatures and their leaf list.
 */
export class Petitions {
  constructor(private readonly deps: PetitionsDependencies) {}

  /**
   * Opens a petition.
   * @throws AppError `request.invalid` for a deadline that is not in the future
   */
  async open(input: Omit<NewPetitionRow, 'createdAt'>): Promise<PetitionView> {
    const now = this.now();
    if (input.deadline <= now) throw new AppError(ErrorCode.RequestInvalid, 'The deadline must be in the future.');
    return viewOf(await this.deps.store.open({ ...input, createdAt: now }), undefined);
  }

  /** The petitions, the newest first (at most 100); those past their deadline are closed first. */
  async list(): Promise<PetitionView[]> {
    await this.closeDue();
    return (await this.deps.store.list(100)).map((row) => viewOf(row, undefined));
  }

  /**
   * One petition (closed first when its deadline has passed).
   * @throws AppError `petition.not-found`
   */
  async get(id: string): Promise<PetitionView> {
    const petition = await this.current(id);
    return viewOf(petition, await this.anchoringOf(petition));
  }

  /**
   * Closes a petition now, as an official may before its deadline; a closed one is answered as it is.
   * @throws AppError `petition.not-found`
   */
  async close(id: string): Promise<PetitionView> {
    const closed = await this.deps.store.close(id, this.now(), 'official', this.enqueue);
    if (closed === null) throw notFound();
    return viewOf(closed, await this.anchoringOf(closed));
  }

  /** Closes every open petition whose deadline has passed (the repeating task); returns how many it closed. */
  async closeDue(): Promise<number> {
    const now = this.now();
    let closed = 0;
    for (const id of await this.deps.store.dueForClosing(now)) {
      const petition = await this.deps.store.close(id, now, 'deadline', this.enqueue);
      if (petition?.closedAt === now && petition.closedBy === 'deadline') closed += 1;
    }
    return closed;
  }

  /**
   * The published tally of a closed petition: its leaf hashes in tree order, count, root, digest and statement.
   * @throws AppError `petition.not-found`, `petition.open` (not closed yet)
   */
  async signatures(id: string): Promise<PublishedTally> {
    const petition = await this.current(id);
    if (petition.state !== 'closed') throw new AppError(ErrorCode.PetitionOpen, 'The petition is still open: its signature list is published when it closes.');
    const tally = await this.deps.store.tally(petition);
    return { ...tally, statement: tallyStatementOf(tally) };
  }

  /**
   * Makes a signing request for a petition: an OpenID4VP request for the citizen card under the petition policy.
   * @param baseUrl - the verifier's public URL (no trailing slash)
   * @throws AppError `petition.not-found`, `petition.closed`
   */
  async requestSignature(id: string, baseUrl: string): Promise<CreatedPetitionRequest> {
    const petition = await this.current(id);
    if (petition.state !== 'open') throw new AppError(ErrorCode.PetitionClosed, 'The petition is closed: its deadline has passed or an official closed it.');
    const created = await this.deps.oid4vp().create({ policy: PETITION_POLICY, purpose: `주민감사청구 서명 · Sign the claim: ${petition.title}`.slice(0, 200) }, `${baseUrl}${PETITION_OID4VP_PATH}`);
    await this.deps.store.addRequest(created.id, petition.id, this.now());
    return { requestId: created.id, requestLink: created.deepLink, walletLink: walletPresentLink(this.deps.walletUrl, created.deepLink), qrSvg: created.qrSvg, expiresAt: created.expiresAt };
  }

  /**
   * Where a signing request stands: pending, signed (with the signature's leaf hash, for the signer to find in the
   * published list), refused with a code and reason, or expired.
   * @throws AppError `petition.request-not-found`
   */
  async requestStatus(petitionId: string, requestId: string): Promise<PetitionRequestStatus> {
    const row = await this.deps.store.findRequest(requestId);
    if (row === null || row.petitionId !== petitionId) throw new AppError(ErrorCode.PetitionRequestNotFound, 'No signing request of this petition has this id.');
    const status = await this.deps.oid4vp().status(requestId);
    if (status.state === 'expired') return { requestId, state: 'expired', reason: EXPIRED };
    if (status.state === 'failed') return { requestId, state: 'refused', ...(status.result ? refusalOf(status.result) : PETITION_REFUSALS.notVerified) };
    if (status.state === 'fulfilled' && row.outcome === 'signed' && row.leafHash !== null) return { requestId, state: 'signed', leafHash: row.leafHash };
    if (status.state === 'fulfilled' && row.outcome === 'already-signed') return { requestId, state: 'refused', ...PETITION_REFUSALS.alreadySigned };
    if (status.state === 'fulfilled' && row.outcome === 'closed') return { requestId, state: 'refused', ...PETITION_REFUSALS.closed };
    return { requestId, state: 'pending', expiresAt: status.expiresAt };
  }

  /**
   * Called by the petitions' OpenID4VP service for a presentation that verified (card signature, holder binding,
   * nonce, status, accredited issuer) and satisfied the petition policy (19 or over, Seoul resident, personId
   * disclosed): derives the pseudonym from the personId — which goes no further — and records the signature, or the
   * refusal (already signed, closed) on the request. A throw leaves the request pending.
   */
  async onFulfilled(request: { id: string }, credentials: readonly PresentedCredential[]): Promise<void> {
    const row = await this.deps.store.findRequest(request.id);
    if (row === null) throw new Error('a petition presentation request has no signing request');
    const card = credentials.find((c) => c.type === SEOUL_CITIZEN_CARD && typeof c.claims['personId'] === 'string' && c.claims['personId'] !== '');
    if (card === undefined) throw new Error('a satisfied petition policy without a citizen card personId');
    const pseudonym = this.deps.pseudonyms.of(row.petitionId, card.claims['personId'] as string);
    const signedAt = this.now();
    await this.deps.store.sign({ id: row.id, petitionId: row.petitionId }, { pseudonym, signedAt, leafHash: signatureLeafOf(row.petitionId, pseudonym, signedAt) });
  }

  /**
   * Why a signing request just settled was refused, for the wallet (see `Oid4vpDependencies.refusal`): the policy's
   * or the card's reason ({@link refusalOf}), or the petition's own (already signed, closed); undefined once signed.
   */
  async refusal(request: { id: string }, outcome: PresentationRequestResult): Promise<LocalisedText | undefined> {
    if (!outcome.verified) return refusalOf(outcome).reason;
    const row = await this.deps.store.findRequest(request.id);
    if (row?.outcome === 'already-signed') return PETITION_REFUSALS.alreadySigned.reason;
    if (row?.outcome === 'closed') return PETITION_REFUSALS.closed.reason;
    return undefined;
  }

  /** The petition, closed first when open past its deadline. */
  private async current(id: string): Promise<PetitionEntity> {
    const petition = await this.deps.store.find(id);
    if (petition === null) throw notFound();
    if (petition.state === 'open' && petition.deadline <= this.now()) return (await this.deps.store.close(id, this.now(), 'deadline', this.enqueue)) ?? petition;
    return petition;
  }

  /** Enqueues a closed petition's tally digest for anchoring, in the closing transaction. */
  private readonly enqueue = async (manager: EntityManager, tally: PetitionTally): Promise<void> => {
    await this.deps.anchoring?.enqueue(manager, { kind: 'petition-tally', digest: tally.digest });
  };

  /** How a closed petition's tally digest stands on chain (undefined while open). */
  private async anchoringOf(petition: PetitionEntity): Promise<PetitionAnchoring | undefined> {
    if (petition.state !== 'closed' || petition.tallyDigest === null) return undefined;
    if (this.deps.anchoring === undefined) return { state: 'not-anchored', reason: ANCHORING_REASONS.notAnchored };
    const status = await this.deps.anchoring.status(petition.tallyDigest as Hex32);
    switch (status.state) {
      case 'anchored':
        return {
          state: 'anchored',
          block: status.block,
          time: status.time.toISOString(),
          batchRoot: status.root,
          proof: status.proof,
          leafIndex: status.leafIndex,
          issuerDid: status.issuerDid,
          chainId: status.chainId,
          contract: status.contract,
          ...(status.txHash ? { txHash: status.txHash } : {}),
        };
      case 'pending':
        return { state: 'pending', submitted: status.submitted, reason: ANCHORING_REASONS.pending };
      case 'failed':
        return { state: 'failed', reason: ANCHORING_REASONS.failed, detail: status.reason };
      case 'unknown':
        return { state: 'not-anchored', reason: ANCHORING_REASONS.notAnchored };
    }
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

function notFound(): AppError {
  return new AppError(ErrorCode.PetitionNotFound, 'No petition has this id.');
}

function viewOf(row: PetitionEntity, anchoring: PetitionAnchoring | undefined): PetitionView {
  const view: PetitionView = {
    id: row.id,
    title: row.title,
    description: row.description,
    threshold: row.threshold,
    deadline: row.deadline,
    state: row.state,
    count: row.signatureCount,
    thresholdReached: row.signatureCount >= row.threshold,
    createdAt: row.createdAt,
  };
  if (row.state === 'closed' && row.closedAt !== null && row.tallyDigest !== null) {
    view.result = {
      count: row.signatureCount,
      root: row.tallyRoot,
      closedAt: row.closedAt,
      closedBy: row.closedBy ?? 'deadline',
      tallyDigest: row.tallyDigest,
      signaturesUrl: `/petitions/${row.id}/signatures`,
      ...(anchoring ? { anchoring } : {}),
    };
  }
  return view;
}
