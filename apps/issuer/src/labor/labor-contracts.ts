import { createHash, createHmac, hkdfSync, randomUUID } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { validateCredentialSubject } from '@citycred/credentials';
import { walletContractLink } from '@citycred/credentials/wallet-links';
import { AppError, ErrorCode } from '@citycred/errors';
import { nobleSignatureCrypto, publicJwkOfDid, type JwsSigner, type VerificationKey } from '@citycred/formats';
import {
  assessContractTerms,
  canonicalJson,
  checkAttendanceChain,
  contractHash,
  hasErrors,
  kstDay,
  signDetached,
  totalWorkedMinutes,
  verifyDetached,
  WORKPLACE_NONCE_MAX_AGE_SECONDS,
  type ContractAssessment,
  type ContractDocument,
  type DetachedJwsVerifier,
} from '@citycred/labor';
import type { LaborContractEntity, LaborContractState, TenantEntity } from '@citycred/persistence';
import type { AuditActor, AuditLog } from '@citycred/tenancy';
import type { EntityManager } from 'typeorm';
import type { CreatedOffer, OfferActor, OfferRequest, OfferStatus } from '../oid4vci/oid4vci.service.js';
import { tokenMatches, type ContractOfferRecord, type LaborContractStore } from './labor-contract-store.js';
import type { ContractTermsRequest } from './labor-requests.js';
import type { AttendanceLedger, LaborSettings } from './labor-tokens.js';

/** The OpenID4VCI context as the contracts use it: the `Oid4vciService` fits as is. */
export interface LaborOffers {
  tenant(slug: string): Promise<TenantEntity>;
  createOffer(tenant: TenantEntity, request: OfferRequest, actor: OfferActor): Promise<CreatedOffer>;
  offerStatus(tenant: TenantEntity, offerId: string): Promise<OfferStatus>;
}

/** The tenants' signers (the issuance context's `TenantJwsSigners` fits as is). */
export interface LaborSigners {
  signerFor(tenant: Pick<TenantEntity, 'did'>): Promise<JwsSigner>;
}

/** The tenants' audit logs as the contracts append to them (the `AuditLog` fits as is). */
export type LaborAudit = Pick<AuditLog, 'append'>;

/** The audit actions of the contracts (docs/labor.md, "Audit log"), each entered in the employer tenant's log. */
export type LaborAuditAction =
  | 'labor.contract-drafted'
  | 'labor.contract-revised'
  | 'labor.contract-worker-signed'
  | 'labor.contract-countersigned'
  | 'labor.contract-ended'
  | 'labor.social-insurance-declared'
  | 'labor.work-experience-issued';

/** Who acts in the employer's console. */
export interface LaborActor {
  readonly operator: { readonly username: string };
  readonly tenant: TenantEntity;
}

/** A party's signature over the contract hash, as the LaborContract credential carries it. */
export interface ContractSignature {
  readonly signer: string;
  readonly signedAt: string;
  readonly jws: string;
}

/** A contract version as the employer's console shows it (docs/labor.md). */
export interface EmployerContractView {
  readonly id: string;
  readonly version: number;
  readonly previousVersion: string | null;
  readonly state: LaborContractState;
  readonly document: ContractDocument;
  readonly hash: string;
  readonly assessment: ContractAssessment;
  readonly workerDid?: string;
  readonly workerSignature?: ContractSignature;
  readonly employerSignature?: ContractSignature;
  /** The link for the worker (QR or message): the wallet's `#contract?url=…`, or the review URL without `WALLET_URL`. */
  readonly reviewLink: string;
  /** The issuer's review URL itself, `<issuer>/labor/contracts/<id>?t=<token>`. */
  readonly reviewUrl: string;
  readonly credentialOffers: ReadonlyArray<{ readonly type: string; readonly offerId: string; readonly state: OfferStatus['state'] }>;
  readonly createdAt: string;
  readonly endedAt?: string;
  readonly endDate?: string;
}

/** A contract version as the worker's wallet reads it with the contract's token. */
export interface WorkerContractView {
  readonly id: string;
  readonly contractId: string;
  readonly version: number;
  readonly state: LaborContractState;
  readonly document: ContractDocument;
  readonly hash: string;
  readonly assessment: ContractAssessment;
  readonly employer: { readonly name: string; readonly did: string };
  readonly workerSignature?: ContractSignature;
  readonly employerSignature?: ContractSignature;
  readonly offers: ReadonlyArray<{ readonly type: string; readonly link: string; readonly state: OfferStatus['state'] }>;
  readonly pendingCorrections: readonly unknown[];
}

const LIVE_STATES: readonly LaborContractState[] = ['awaiting-worker', 'awaiting-employer', 'active'];
const DID_JWK_KID = /^did:jwk:[A-Za-z0-9_-]{1,2000}#0$/;
const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const notFound = () => new AppError(ErrorCode.LaborContractNotFound, 'No labour contract has this id and token.');
const stateError = (detail: string, state: LaborContractState) => new AppError(ErrorCode.LaborContractState, detail, { extensions: { state } });

/**
 * Labour contracts between an employer tenant and a part-time worker (PRODUCT.md §7.2, docs/labor.md): the employer
 * drafts the terms (refused when they break the law), the worker signs the document's hash in the wallet, the
 * employer countersigns with its tenant key and offers the LaborContract credential to the worker's wallet key; a
 * revision is a new version both sign again. The employer also has the employment-insurance tenant offer
 * SocialInsuranceEnrollment, ends the contract, and issues WorkExperience from the attendance chain.
 */
export class LaborContracts {
  private readonly tokenKey: Buffer;

  constructor(
    private readonly store: LaborContractStore,
    private readonly offers: LaborOffers,
    private readonly signers: LaborSigners,
    private readonly ledger: AttendanceLedger,
    private readonly settings: LaborSettings,
    private readonly clock: Clock,
    private readonly audit: LaborAudit,
  ) {
    this.tokenKey = Buffer.from(hkdfSync('sha256', Buffer.from(settings.tokenSecret, 'hex'), Buffer.alloc(0), 'citycred labor contract token', 32));
  }

  /**
   * `GET /console/api/labor/settings`: the employer as contracts name it, the minimum wage table, the workplace QR's
   * lifetime.
   * @throws AppError `labor.employer-only` (403)
   */
  settingsFor(tenant: TenantEntity) {
    requireEmployer(tenant);
    return {
      employer: { slug: tenant.slug, name: tenant.name, did: tenant.did, businessNumber: tenant.businessNumber ?? null },
      minimumWageKrw: this.settings.minimumWageKrw,
      workplaceQrSeconds: WORKPLACE_NONCE_MAX_AGE_SECONDS,
    };
  }

  /**
   * Drafts a contract's first version, waiting for the worker's signature.
   * @throws AppError `labor.employer-only` (403), `labor.business-number-missing` (409), `labor.terms-refused` (422,
   *   `findings`: the assessment's errors), `credential.schema-invalid` (422: a value the LaborContract schema refuses)
   */
  async draft(actor: LaborActor, terms: ContractTermsRequest): Promise<EmployerContractView> {
    requireEmployer(actor.tenant);
    const id = randomUUID();
    return this.addVersion(actor, { id, contractId: id, version: 1, previousVersion: null }, terms);
  }

  /**
   * A new version of a contract (its latest version, not ended): same lineage, `version + 1`, both sign again; the
   * old version stays what it is until the new one is active, then it is `superseded`.
   * @throws AppError `labor.contract-not-found` (404), `labor.contract-state` (409: ended, superseded, or not the
   *   latest version), and what {@link draft} throws
   */
  async revise(actor: LaborActor, id: string, terms: ContractTermsRequest): Promise<EmployerContractView> {
    const old = await this.own(actor.tenant, id);
    await this.requireLatest(old);
    if (!LIVE_STATES.includes(old.state)) throw stateError(`A ${old.state} contract cannot be revised.`, old.state);
    return this.addVersion(actor, { id: randomUUID(), contractId: old.contractId, version: old.version + 1, previousVersion: old.id }, terms);
  }

  /** `GET /console/api/labor/contracts` → the tenant's contract versions, newest first. */
  async list(tenant: TenantEntity): Promise<{ items: EmployerContractView[] }> {
    requireEmployer(tenant);
    const rows = await this.store.list(tenant.id);
    return { items: await Promise.all(rows.map((row) => this.employerView(row))) };
  }

  /** One of the tenant's contract versions. @throws AppError `labor.contract-not-found` (404) */
  async get(tenant: TenantEntity, id: string): Promise<EmployerContractView> {
    return this.employerView(await this.own(tenant, id));
  }

  /**
   * The employer countersigns the hash the worker signed (tenant key, ES256K, detached JWS), and offers the
   * LaborContract credential — the document and both signatures — bound to the worker's wallet key, without
   * transaction code. Other live versions of the contract become `superseded`.
   * @throws AppError `labor.contract-state` (409: not awaiting the employer, or not the latest version)
   */
  async countersign(actor: LaborActor, id: string): Promise<EmployerContractView> {
    const row = await this.own(actor.tenant, id);
    if (row.state !== 'awaiting-employer') throw stateError(`The contract is ${row.state}: only a contract the worker signed and the employer has not may be countersigned.`, row.state);
    await this.requireLatest(row);
    const signer = await this.signers.signerFor(actor.tenant);
    const jws = await signDetached({ alg: signer.alg, kid: signer.kid }, row.hash, (input) => signer.sign(input));
    const employerSignature: ContractSignature = { signer: actor.tenant.did, signedAt: this.now(), jws };
    const workerSignature = JSON.parse(row.workerSignature!) as ContractSignature;
    const document = JSON.parse(row.document) as ContractDocument;
    const offer = await this.offer(actor.tenant, 'LaborContract', { ...credentialClaims(document), workerSignature, employerSignature }, row.workerDid!, actorOf(actor));
    const offers = JSON.stringify([...offersOf(row), offer]);
    await this.store.transaction(async (manager) => {
      if (!(await this.store.transition(row.id, 'awaiting-employer', { state: 'active', employerSignature: JSON.stringify(employerSignature), offers }, manager))) {
        throw stateError('The contract was countersigned (or changed) by another request.', (await this.store.byId(row.id, manager))!.state);
      }
      await this.store.supersedeOthers(row.contractId, row.id, manager);
      await this.record(manager, row, 'labor.contract-countersigned', operatorActor(actor), { offerId: offer.offerId });
    });
    return this.get(actor.tenant, id);
  }

  /**
   * The employment-insurance tenant offers SocialInsuranceEnrollment to the worker (bound to the wallet key that
   * signed the contract), as the employer declared the enrolment.
   * @throws AppError `labor.contract-state` (409: not active), `labor.insurance-issuer-missing` (409)
   */
  async socialInsurance(
    actor: LaborActor,
    id: string,
    enrolment: { nationalPension: boolean; healthInsurance: boolean; employmentInsurance: boolean; industrialAccident: boolean; since: string },
  ): Promise<EmployerContractView> {
    const row = await this.own(actor.tenant, id);
    if (row.state !== 'active') throw stateError(`The contract is ${row.state}: social insurance is declared for an active contract.`, row.state);
    let insurer: TenantEntity;
    try {
      insurer = await this.offers.tenant(this.settings.insuranceTenant);
    } catch (error) {
      if (error instanceof AppError) throw missingInsurer(this.settings.insuranceTenant);
      throw error;
    }
    if (!insurer.credentialTypes.includes('SocialInsuranceEnrollment')) throw missingInsurer(this.settings.insuranceTenant);
    const document = JSON.parse(row.document) as ContractDocument;
    const offer = await this.offer(insurer, 'SocialInsuranceEnrollment', { employer: document.employer, ...enrolment }, row.workerDid!, {
      kind: 'operator',
      id: `${actor.tenant.slug}:${actor.operator.username}`,
    });
    await this.addOffer(row, offer, (manager) =>
      this.record(manager, row, 'labor.social-insurance-declared', operatorActor(actor), { offerId: offer.offerId, insuranceTenant: insurer.slug }),
    );
    return this.get(actor.tenant, id);
  }

  /**
   * Ends an active contract on `endDate` (the last day of work).
   * @throws AppError `labor.contract-state` (409), `request.invalid` (400: an end before the contract's start)
   */
  async end(actor: LaborActor, id: string, endDate: string): Promise<EmployerContractView> {
    const row = await this.own(actor.tenant, id);
    if (row.state !== 'active') throw stateError(`The contract is ${row.state}: only an active contract can be ended.`, row.state);
    const document = JSON.parse(row.document) as ContractDocument;
    if (endDate < document.period.start) {
      throw new AppError(ErrorCode.RequestInvalid, 'The end date is before the contract started.', { extensions: { errors: [{ path: '/endDate', message: `must be on or after ${document.period.start}` }] } });
    }
    await this.store.transaction(async (manager) => {
      if (!(await this.store.transition(row.id, 'active', { state: 'ended', endedAt: this.now(), endDate }, manager))) {
        throw stateError('The contract was changed by another request.', (await this.store.byId(row.id, manager))!.state);
      }
      await this.record(manager, row, 'labor.contract-ended', operatorActor(actor), { endDate });
    });
    return this.get(actor.tenant, id);
  }

  /**
   * Offers WorkExperience to the worker: the period (start to the end date, or today for an active contract), the
   * role, the total hours of the attendance chain (to 2 decimals) and the chain's head as `attendanceRoot`.
   * @throws AppError `labor.contract-state` (409: not active or ended), `labor.attendance-invalid` (409, `checks`:
   *   the failed checks of the chain)
   */
  async workExperience(actor: LaborActor, id: string, request: { role?: string | undefined }): Promise<EmployerContractView> {
    const row = await this.own(actor.tenant, id);
    if (row.state !== 'active' && row.state !== 'ended') throw stateError(`The contract is ${row.state}: work history is issued for an active or ended contract.`, row.state);
    const document = JSON.parse(row.document) as ContractDocument;
    const events = await this.ledger.events(row.contractId);
    const chain = await checkAttendanceChain(events, { contractId: row.contractId, signatures: await this.attendanceSignatures(actor.tenant, row.workerDid!) });
    if (!chain.valid) {
      throw new AppError(ErrorCode.LaborAttendanceInvalid, 'The attendance chain does not pass its checks: no work history is issued from it.', {
        extensions: { checks: chain.checks.filter((c) => !c.passed) },
      });
    }
    const today = kstDay(this.now());
    const end = row.endDate ?? (document.period.end !== undefined && document.period.end < today ? document.period.end : today);
    const claims = {
      employer: document.employer,
      role: request.role ?? document.role ?? document.duties.slice(0, 200),
      period: { start: document.period.start, end: end < document.period.start ? document.period.start : end },
      totalHours: Math.round((totalWorkedMinutes(events.map((e) => e.event)) / 60) * 100) / 100,
      attendanceRoot: chain.head,
    };
    const offer = await this.offer(actor.tenant, 'WorkExperience', claims, row.workerDid!, actorOf(actor));
    await this.addOffer(row, offer, (manager) => this.record(manager, row, 'labor.work-experience-issued', operatorActor(actor), { offerId: offer.offerId }));
    return this.get(actor.tenant, id);
  }

  /**
   * `GET /labor/contracts/:id?t=` — the worker's view with the contract's token. An offer that expired unredeemed is
   * made again (same claims, same holder) as the worker opens it.
   * @throws AppError `labor.contract-not-found` (404) for an unknown id or a wrong token alike
   */
  async review(id: string, token: string | undefined): Promise<WorkerContractView> {
    return this.workerView(await this.renewExpiredOffers(await this.byToken(id, token)));
  }

  /**
   * The worker signs the contract's hash with the wallet key: a detached compact JWS, ES256, `kid` `<did:jwk>#0`,
   * verified against the key the did:jwk names. The worker's DID is the holder every later offer is bound to.
   * @throws AppError `labor.contract-not-found` (404), `labor.contract-state` (409: already signed, or not the latest
   *   version), `labor.signature-invalid` (400, `reason`)
   */
  async workerSign(id: string, token: string | undefined, jws: string): Promise<WorkerContractView> {
    const row = await this.byToken(id, token);
    if (row.state !== 'awaiting-worker') throw stateError(`The contract is ${row.state}: the worker's signature is already given or no longer possible.`, row.state);
    await this.requireLatest(row);
    const check = await verifyDetached(jws, row.hash, verifyByDidJwk);
    if (!check.valid) throw new AppError(ErrorCode.LaborSignatureInvalid, `The worker's signature is refused: ${check.reason}.`, { extensions: { reason: check.problem } });
    const workerDid = check.header.kid!.slice(0, -'#0'.length);
    const workerSignature: ContractSignature = { signer: workerDid, signedAt: this.now(), jws };
    await this.store.transaction(async (manager) => {
      if (!(await this.store.transition(row.id, 'awaiting-worker', { state: 'awaiting-employer', workerDid, workerSignature: JSON.stringify(workerSignature) }, manager))) {
        throw stateError('The contract was signed by another request.', (await this.store.byId(row.id, manager))!.state);
      }
      // The did:jwk (≈180 characters) does not fit an actor id (100): it is a detail, its digest beyond 200.
      await this.record(manager, row, 'labor.contract-worker-signed', WORKER_ACTOR, workerDid.length <= 200 ? { workerDid } : { workerDidSha256: sha256Hex(workerDid) });
    });
    return this.review(id, token);
  }

  /** The worker's review URL of a version: `<issuer>/labor/contracts/<id>?t=<token>`. */
  reviewUrl(id: string): string {
    return `${this.settings.publicUrl}/labor/contracts/${id}?t=${this.tokenOf(id)}`;
  }

  private async addVersion(
    actor: LaborActor,
    lineage: { id: string; contractId: string; version: number; previousVersion: string | null },
    terms: ContractTermsRequest,
  ): Promise<EmployerContractView> {
    const tenant = actor.tenant;
    if (!tenant.businessNumber) {
      throw new AppError(ErrorCode.LaborBusinessNumberMissing, 'The labour department has no business registration number on record for this employer: contracts must name it.');
    }
    const document: ContractDocument = {
      v: 1,
      contractId: lineage.contractId,
      version: lineage.version,
      ...(lineage.previousVersion ? { previousVersion: lineage.previousVersion } : {}),
      employer: { id: tenant.did, name: tenant.name, businessRegistrationNumber: tenant.businessNumber },
      ...terms,
    };
    const assessment = this.assess(document);
    const errors = assessment.findings.filter((f) => f.severity === 'error');
    if (hasErrors(assessment.findings)) {
      throw new AppError(ErrorCode.LaborTermsRefused, `The terms break the Labor Standards Act: ${errors.map((f) => f.message.en).join(' ')}`, { extensions: { findings: errors } });
    }
    const placeholder: ContractSignature = { signer: tenant.did, signedAt: this.now(), jws: 'e30..c2ln' };
    const validation = validateCredentialSubject('LaborContract', { ...credentialClaims(document), workerSignature: placeholder, employerSignature: placeholder });
    if (!validation.valid) {
      throw new AppError(ErrorCode.CredentialSchemaInvalid, 'The terms do not fit the LaborContract credential.', { extensions: { errors: validation.errors } });
    }
    const row: LaborContractEntity = {
      ...lineage,
      tenantId: tenant.id,
      document: canonicalJson(document),
      hash: contractHash(document),
      state: 'awaiting-worker',
      workerDid: null,
      workerSignature: null,
      employerSignature: null,
      tokenHash: sha256Hex(this.tokenOf(lineage.id)),
      offers: '[]',
      createdAt: this.now(),
      endedAt: null,
      endDate: null,
    };
    await this.store.transaction(async (manager) => {
      await this.store.add(row, manager);
      const action = lineage.previousVersion ? 'labor.contract-revised' : 'labor.contract-drafted';
      await this.record(manager, row, action, operatorActor(actor), lineage.previousVersion ? { previousVersion: lineage.previousVersion } : {});
    });
    return this.get(tenant, lineage.id);
  }

  private assess(document: ContractDocument): ContractAssessment {
    return assessContractTerms(document, this.settings.minimumWageKrw);
  }

  private async offer(tenant: TenantEntity, type: string, claims: Record<string, unknown>, holder: string, actor: OfferActor): Promise<ContractOfferRecord> {
    const created = await this.offers.createOffer(tenant, { credentialConfigurationId: `${type}_jwt_vc_json`, claims, txCode: false, holder }, actor);
    return { type, offerId: created.offerId, tenant: tenant.slug, link: created.credential_offer_link, createdAt: this.now(), claims };
  }

  /**
   * Adds an offer to a version's list, and `also` (its audit entry) in the same transaction; a list changed meanwhile
   * is read again (up to three times).
   */
  private async addOffer(row: LaborContractEntity, offer: ContractOfferRecord, also: (manager: EntityManager) => Promise<unknown>): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const added = await this.store.transaction(async (manager) => {
        const fresh = (await this.store.byId(row.id, manager))!;
        if (!(await this.store.replaceOffers(row.id, fresh.offers, JSON.stringify([...offersOf(fresh), offer]), manager))) return false;
        await also(manager);
        return true;
      });
      if (added) return;
    }
    throw stateError('The contract was changed by other requests meanwhile; try again.', row.state);
  }

  /**
   * Appends an entry to the employer tenant's audit log inside the change's transaction: target the version's id,
   * details its lineage, version and document hash (never the terms, names or other personal data).
   */
  private async record(
    manager: EntityManager,
    row: Pick<LaborContractEntity, 'id' | 'tenantId' | 'contractId' | 'version' | 'hash'>,
    action: LaborAuditAction,
    actor: AuditActor,
    details: Record<string, string | number | boolean | null> = {},
  ): Promise<void> {
    await this.audit.append(manager, {
      tenantId: row.tenantId,
      actor,
      action,
      target: row.id,
      details: { contractId: row.contractId, version: row.version, hash: row.hash, ...details },
    });
  }

  /**
   * Offers again, with the same claims, each credential whose last offer expired unredeemed (an offer lives
   * `OID4VCI_OFFER_TTL_SECONDS`; the worker may open the wallet later). The renewed offer is bound to the same holder.
   * Two readers at once: one list wins, the other's new offer is dropped unlisted (it is never received).
   * @returns the version as it is now
   */
  private async renewExpiredOffers(row: LaborContractEntity): Promise<LaborContractEntity> {
    if ((row.state !== 'active' && row.state !== 'ended') || !row.workerDid) return row;
    const states = await this.offerStates(row);
    const latestByType = new Map<string, { offer: ContractOfferRecord; state: string }>();
    for (const entry of states) latestByType.set(entry.offer.type, entry);
    const expired = [...latestByType.values()].filter((entry) => entry.state === 'expired');
    if (expired.length === 0) return row;
    const renewed: ContractOfferRecord[] = [];
    for (const { offer } of expired) {
      const tenant = await this.offers.tenant(offer.tenant).catch(() => null);
      if (tenant) renewed.push(await this.offer(tenant, offer.type, offer.claims, row.workerDid, { kind: 'operator', id: 'labor-contract-review' }));
    }
    const kept = offersOf(row).filter((o) => !renewed.some((r) => r.type === o.type) || states.find((s) => s.offer.offerId === o.offerId)?.state !== 'expired');
    await this.store.replaceOffers(row.id, row.offers, JSON.stringify([...kept, ...renewed]));
    return (await this.store.byId(row.id))!;
  }

  private async own(tenant: TenantEntity, id: string): Promise<LaborContractEntity> {
    requireEmployer(tenant);
    const row = await this.store.ofTenant(tenant.id, id);
    if (!row) throw new AppError(ErrorCode.LaborContractNotFound, 'This employer has no labour contract with this id.');
    return row;
  }

  private async byToken(id: string, token: string | undefined): Promise<LaborContractEntity> {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound();
    const row = await this.store.byId(id);
    if (!row || !tokenMatches(token, row.tokenHash)) throw notFound();
    return row;
  }

  private async requireLatest(row: LaborContractEntity): Promise<void> {
    const latest = await this.store.latest(row.contractId);
    if (latest && latest.id !== row.id) throw stateError(`Version ${latest.version} of this contract replaces version ${row.version}: sign or revise the latest.`, row.state);
  }

  /** The share token of a version: derived from its id under the issuer's secret, so it is never stored. */
  private tokenOf(id: string): string {
    return createHmac('sha256', this.tokenKey).update(`labor-contract:${id}`).digest('base64url');
  }

  private async offerStates(row: LaborContractEntity) {
    const tenants = new Map<string, Promise<TenantEntity | null>>();
    const tenantOf = (slug: string) => {
      if (!tenants.has(slug)) tenants.set(slug, this.offers.tenant(slug).catch(() => null));
      return tenants.get(slug)!;
    };
    return Promise.all(
      offersOf(row).map(async (offer) => {
        const tenant = await tenantOf(offer.tenant);
        const status = tenant ? await this.offers.offerStatus(tenant, offer.offerId).catch(() => null) : null;
        return { offer, state: status?.state ?? ('expired' as const) };
      }),
    );
  }

  private async employerView(row: LaborContractEntity): Promise<EmployerContractView> {
    const document = JSON.parse(row.document) as ContractDocument;
    const reviewUrl = this.reviewUrl(row.id);
    return {
      id: row.id,
      version: row.version,
      previousVersion: row.previousVersion,
      state: row.state,
      document,
      hash: row.hash,
      assessment: this.assess(document),
      ...(row.workerDid ? { workerDid: row.workerDid } : {}),
      ...(row.workerSignature ? { workerSignature: JSON.parse(row.workerSignature) as ContractSignature } : {}),
      ...(row.employerSignature ? { employerSignature: JSON.parse(row.employerSignature) as ContractSignature } : {}),
      reviewLink: walletContractLink(this.settings.walletUrl, reviewUrl),
      reviewUrl,
      credentialOffers: (await this.offerStates(row)).map(({ offer, state }) => ({ type: offer.type, offerId: offer.offerId, state })),
      createdAt: row.createdAt,
      ...(row.endedAt ? { endedAt: row.endedAt } : {}),
      ...(row.endDate ? { endDate: row.endDate } : {}),
    };
  }

  private async workerView(row: LaborContractEntity): Promise<WorkerContractView> {
    const document = JSON.parse(row.document) as ContractDocument;
    return {
      id: row.id,
      contractId: row.contractId,
      version: row.version,
      state: row.state,
      document,
      hash: row.hash,
      assessment: this.assess(document),
      employer: { name: document.employer.name, did: document.employer.id },
      ...(row.workerSignature ? { workerSignature: JSON.parse(row.workerSignature) as ContractSignature } : {}),
      ...(row.employerSignature ? { employerSignature: JSON.parse(row.employerSignature) as ContractSignature } : {}),
      offers: (await this.offerStates(row)).map(({ offer, state }) => ({ type: offer.type, link: offer.link, state })),
      pendingCorrections: this.ledger.pendingCorrections ? await this.ledger.pendingCorrections(row.contractId) : [],
    };
  }

  /** Both signatures of an attendance event: the worker's by its did:jwk, the employer's by the tenant's key. */
  private async attendanceSignatures(tenant: TenantEntity, workerDid: string) {
    const signer = await this.signers.signerFor(tenant);
    const employerKeys: VerificationKey[] = [];
    if (signer.publicKey) employerKeys.push({ kind: 'secp256k1', publicKey: signer.publicKey });
    const fromDid = /^did:ethr:[a-z0-9]+:0x([0-9a-f]{66})$/.exec(tenant.did)?.[1];
    if (fromDid) employerKeys.push({ kind: 'secp256k1', publicKey: Buffer.from(fromDid, 'hex') });
    const byEmployer: DetachedJwsVerifier = async ({ header, signingInput, signature }) => {
      for (const key of employerKeys) if (await nobleSignatureCrypto.verify(header.alg as 'ES256K', key, signingInput, signature)) return true;
      return false;
    };
    const byWorker: DetachedJwsVerifier = (jws) => jws.header.kid === `${workerDid}#0` && verifyByDidJwk(jws);
    return async (signed: { workerSignature: string; employerSignature: string }, hash: string) =>
      (await verifyDetached(signed.workerSignature, hash, byWorker)).valid && (await verifyDetached(signed.employerSignature, hash, byEmployer)).valid;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

/** The LaborContract claims of a document: its members without `v` (the signatures are added to them). */
function credentialClaims(document: ContractDocument): Record<string, unknown> {
  const { v: _v, ...claims } = document;
  return claims;
}

function offersOf(row: LaborContractEntity): ContractOfferRecord[] {
  return JSON.parse(row.offers) as ContractOfferRecord[];
}

function actorOf(actor: LaborActor): OfferActor {
  return { kind: 'operator', id: actor.operator.username };
}

/** The operator as the audit log names them (their username, as the console's entries do). */
function operatorActor(actor: LaborActor): AuditActor {
  return { kind: 'operator', id: actor.operator.username };
}

/** The worker signing in the wallet, as the audit log names them: the did:jwk is in the entry's details. */
const WORKER_ACTOR: AuditActor = { kind: 'system', id: 'labor-worker' };

function requireEmployer(tenant: TenantEntity): void {
  if (tenant.kind !== 'employer') throw new AppError(ErrorCode.LaborEmployerOnly, `Labour contracts are an employer's: this tenant is a ${tenant.kind}.`);
}

function missingInsurer(slug: string): AppError {
  return new AppError(ErrorCode.LaborInsuranceIssuerMissing, `No tenant "${slug}" issuing SocialInsuranceEnrollment is on this issuer.`);
}

/** ES256 by the P-256 key of the did:jwk the header's `kid` (`<did:jwk>#0`) names. */
const verifyByDidJwk: DetachedJwsVerifier = ({ header, signingInput, signature }) => {
  if (header.alg !== 'ES256' || typeof header.kid !== 'string' || !DID_JWK_KID.test(header.kid)) return false;
  const jwk = publicJwkOfDid(header.kid);
  if (jwk.crv !== 'P-256') return false;
  return nobleSignatureCrypto.verify('ES256', { kind: 'jwk', jwk }, signingInput, signature);
};

