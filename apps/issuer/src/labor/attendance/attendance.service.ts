import { randomBytes } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { walletAttendLink } from '@citycred/credentials/wallet-links';
import { AppError, ErrorCode } from '@citycred/errors';
import { didEthrAddress, nobleSignatureCrypto, publicJwkOfDid, signCompactJws, verifyJwsSignature, type JwsSigner, type VerificationKey } from '@citycred/formats';
import {
  attendanceEventHash,
  attendanceShifts,
  checkAttendanceChain,
  monthlyPayEstimate,
  readWorkplaceQr,
  signDetached,
  totalWorkedMinutes,
  verifyDetached,
  WORKPLACE_QR_TYP,
  type AttendanceChainCheck,
  type AttendanceEvent,
  type DetachedJws,
  type MonthlyPay,
  type Shift,
  type SignedAttendanceEvent,
  type WorkplaceQrPayload,
} from '@citycred/labor';
import type { TenantEntity } from '@citycred/persistence';
import type { AttendanceLedger } from '../labor-tokens.js';
import type { AttendanceContract, AttendanceContracts, AttendanceEmployers, AttendanceSettings } from './attendance-ports.js';
import { ATTENDANCE_SKEW_SECONDS, requireAppendable, requireEventShape, requireFreshQr, workplaceWindowStart, WORKPLACE_QR_SECONDS, type AttendanceHead } from './attendance-rules.js';
import type { Appended, AttendanceStore, PendingCorrection } from './attendance-store.js';

/** The workplace tablet's QR now: `GET /console/api/labor/workplace-qr`. */
export interface WorkplaceQrView {
  /** Compact JWS, `typ` `citycred-workplace+jwt`, signed with the employer's key. */
  readonly jws: string;
  /** What the QR encodes: `${WALLET_URL}/#attend?qr=<jws>`, or the JWS without a wallet URL. */
  readonly link: string;
  /** The window's start (the JWS's `iat`), ISO. */
  readonly issuedAt: string;
  /** `iat + 30 s`, ISO. */
  readonly expiresAt: string;
  /** Whole seconds until the next window's QR (at least 1). */
  readonly refreshInSeconds: number;
}

/** A contract's attendance as both views answer it. */
export interface AttendanceView {
  readonly events: SignedAttendanceEvent[];
  /** `checkAttendanceChain` with both signatures verified (the worker's did:jwk, the employer's did:ethr key). */
  readonly check: AttendanceChainCheck;
  readonly shifts: Shift[];
  readonly totalMinutes: number;
  readonly head: AttendanceHead;
  readonly monthly: Array<{ month: string; minutes: number; payEstimateKrw: number }>;
  readonly pendingCorrections: PendingCorrection[];
}

/** What the worker posts: `POST /labor/contracts/:id/attendance?t=`. */
export interface AttendancePost {
  readonly event: unknown;
  /** ES256 detached JWS (`header..signature`) over the event's hash, by the contract's worker did:jwk. */
  readonly workerSignature: string;
  /** The scanned workplace QR's JWS (or its wallet link): required for a check-in or -out. */
  readonly qr?: string | undefined;
}

/**
 * Attendance that cannot be forged (docs/labor.md, "Attendance"): the workplace's rotating QR, the worker's signed
 * check-ins, check-outs and corrections countersigned by the employer's key into a hash chain per contract, and the
 * timesheet with its pay estimate. It is the contracts context's {@link AttendanceLedger} (work history reads the
 * chain through it; the worker's contract view lists the pending corrections).
 */
export class AttendanceService implements AttendanceLedger {
  constructor(
    private readonly store: AttendanceStore,
    private readonly contracts: AttendanceContracts,
    private readonly employers: AttendanceEmployers,
    private readonly clock: Clock,
    private readonly settings: AttendanceSettings,
  ) {}

  /** The contract lineage's events in order (both signatures each): the contracts context's {@link AttendanceLedger}. */
  async events(contractId: string): Promise<SignedAttendanceEvent[]> {
    return this.store.events(contractId);
  }

  /** The corrections of a contract lineage the employer proposed and the worker has not signed yet. */
  async pendingCorrections(contractId: string): Promise<PendingCorrection[]> {
    return this.store.pendingCorrections(contractId);
  }

  /**
   * The employer's workplace QR of the current 30-second window: one nonce per tenant and window, made and stored by
   * the first request of the window, the same JWS for every request until the next.
   */
  async workplaceQr(tenant: TenantEntity): Promise<WorkplaceQrView> {
    const now = this.clock.now();
    const iat = workplaceWindowStart(now);
    const stored = await this.store.workplaceNonce(tenant.id, iat, async () => {
      const nonce = randomBytes(16).toString('base64url');
      const signer = await this.employers.signerFor(tenant);
      const payload: WorkplaceQrPayload = { iss: tenant.did, workplace: tenant.slug, nonce, iat, exp: iat + WORKPLACE_QR_SECONDS };
      const jws = await signCompactJws({ alg: signer.alg, typ: WORKPLACE_QR_TYP, kid: signer.kid }, { ...payload }, signer);
      return { nonce, jws };
    });
    // Nonces of windows long past can no longer be used: forget them now and then (a QR of the previous window may
    // still be scanned for a few seconds, so two windows are kept).
    if (iat % 600 === 0) await this.store.pruneNonces(iat - 2 * WORKPLACE_QR_SECONDS);
    return {
      jws: stored.jws,
      link: walletAttendLink(this.settings.walletUrl, stored.jws),
      issuedAt: new Date(iat * 1000).toISOString(),
      expiresAt: new Date((iat + WORKPLACE_QR_SECONDS) * 1000).toISOString(),
      refreshInSeconds: Math.max(1, Math.ceil(iat + WORKPLACE_QR_SECONDS - now.getTime() / 1000)),
    };
  }

  /**
   * Records the worker's event: the contract is active, the event well-formed and signed by the contract's worker,
   * a check-in or -out carries a fresh workplace QR of this employer whose nonce the contract has not used, and it
   * follows the current head; then the employer's key countersigns it and it is stored with the head moved on.
   * @throws AppError `labor.contract-not-found`, `labor.contract-state`, `request.invalid`, `labor.signature-invalid`,
   *   `labor.qr-invalid`, `labor.qr-expired`, `labor.nonce-reused`, `labor.attendance-stale`, `labor.attendance-order`,
   *   `labor.event-time`, `labor.correction-not-found`
   */
  async record(contractId: string, token: string, post: AttendancePost): Promise<Appended> {
    const contract = await this.contracts.forWorker(contractId, token);
    if (contract.state !== 'active' || !contract.workerDid) {
      throw new AppError(ErrorCode.LaborContractState, `Attendance is recorded only while the contract is active; it is ${contract.state}.`);
    }
    const event = post.event;
    requireEventShape(event, contract.chainId);
    const hash = attendanceEventHash(event);
    const workerDid = contract.workerDid;
    const signed = await verifyDetached(post.workerSignature, hash, (jws) => verifyWorker(jws, workerDid));
    if (!signed.valid) throw new AppError(ErrorCode.LaborSignatureInvalid, `The worker's signature over the event's hash does not verify with the contract's worker key: ${signed.reason}.`);
    const employer = await this.employerOf(contract);
    const signer = await this.employers.signerFor(employer);
    const now = this.clock.now();
    let qr: WorkplaceQrPayload | undefined;
    if (event.kind !== 'correction') {
      if (!post.qr) throw new AppError(ErrorCode.LaborQrInvalid, 'A check-in or -out needs the workplace QR that was scanned (`qr`).');
      qr = await this.verifiedQr(post.qr, employer, signer);
      requireFreshQr(qr, now);
    }
    const employerSignature = await signDetached({ alg: signer.alg, kid: signer.kid, typ: 'citycred-attendance+jws' }, hash, (input) => signer.sign(input));
    return this.store.append({ contractId: contract.chainId, tenantId: employer.id, event, hash, workerSignature: post.workerSignature, employerSignature }, (state) =>
      requireAppendable(state, event, now, qr),
    );
  }

  /** The worker's view: `GET /labor/contracts/:id/attendance?t=`. */
  async workerView(contractId: string, token: string): Promise<AttendanceView> {
    return this.view(await this.contracts.forWorker(contractId, token));
  }

  /** The employer's view: `GET /console/api/labor/contracts/:id/attendance`. */
  async employerView(tenantId: string, contractId: string): Promise<AttendanceView> {
    return this.view(await this.contracts.forEmployer(tenantId, contractId));
  }

  /**
   * The employer proposes a correction of a check-in or -out (`POST /console/api/labor/contracts/:id/corrections`);
   * the worker's wallet signs it as a `correction` event.
   * @throws AppError `labor.contract-not-found`, `labor.contract-state` (not active), `request.invalid` (no such event)
   */
  async proposeCorrection(tenantId: string, contractId: string, proposal: { eventHash: string; at: string; reason: string }, operator: string): Promise<PendingCorrection> {
    const contract = await this.contracts.forEmployer(tenantId, contractId);
    if (contract.state !== 'active') throw new AppError(ErrorCode.LaborContractState, `Corrections are proposed only while the contract is active; it is ${contract.state}.`);
    return this.store.proposeCorrection(contract.chainId, proposal, operator);
  }

  /** Checks a contract's chain with both signatures, as anyone holding the events and the two public keys can. */
  async checkChain(contract: Pick<AttendanceContract, 'chainId' | 'tenantId' | 'workerDid'>, events: readonly SignedAttendanceEvent[]): Promise<AttendanceChainCheck> {
    const employer = await this.employerOf(contract);
    const keys = employerKeys(employer, await this.employers.signerFor(employer), this.settings.didNetwork);
    const workerDid = contract.workerDid;
    return checkAttendanceChain(events, {
      contractId: contract.chainId,
      skewSeconds: ATTENDANCE_SKEW_SECONDS,
      signatures: async (signed, hash) =>
        workerDid !== null &&
        (await verifyDetached(signed.workerSignature, hash, (jws) => verifyWorker(jws, workerDid))).valid &&
        (await verifyDetached(signed.employerSignature, hash, (jws) => verifyEmployer(jws, keys))).valid,
    });
  }

  private async view(contract: AttendanceContract): Promise<AttendanceView> {
    const [events, pendingCorrections, head] = await Promise.all([this.store.events(contract.chainId), this.store.pendingCorrections(contract.chainId), this.store.head(contract.chainId)]);
    const plain: AttendanceEvent[] = events.map((s) => s.event);
    const shifts = attendanceShifts(plain);
    const monthly: MonthlyPay[] = monthlyPayEstimate(shifts, contract);
    return {
      events,
      check: await this.checkChain(contract, events),
      shifts,
      totalMinutes: totalWorkedMinutes(plain),
      head,
      monthly: monthly.map(({ month, minutes, payEstimateKrw }) => ({ month, minutes, payEstimateKrw })),
      pendingCorrections,
    };
  }

  private async employerOf(contract: Pick<AttendanceContract, 'tenantId'>): Promise<TenantEntity> {
    const employer = await this.employers.findById(contract.tenantId);
    if (!employer) throw new Error(`the employer tenant ${contract.tenantId} of a contract is gone`);
    return employer;
  }

  /**
   * The workplace QR's payload once it is shown to be this employer's: well-formed, signed with the employer's key,
   * naming the employer and its workplace, with a nonce the employer issued for that window.
   * @throws AppError `labor.qr-invalid`
   */
  private async verifiedQr(raw: string, employer: TenantEntity, signer: JwsSigner): Promise<WorkplaceQrPayload> {
    const reading = readWorkplaceQr(qrJwsOf(raw));
    if (!reading.ok) throw new AppError(ErrorCode.LaborQrInvalid, `The workplace QR cannot be read: ${reading.reason}.`);
    const { payload, jws } = reading;
    if (payload.iss !== employer.did || payload.workplace !== employer.slug) throw new AppError(ErrorCode.LaborQrInvalid, "The workplace QR is another employer's.");
    const proof = await verifyJwsSignature(jws, employerKeys(employer, signer, this.settings.didNetwork), nobleSignatureCrypto);
    if (!proof.valid || jws.header.alg !== 'ES256K') throw new AppError(ErrorCode.LaborQrInvalid, "The workplace QR's signature is not the employer's.");
    const issued = await this.store.issuedNonce(payload.nonce);
    if (!issued || issued.tenantId !== employer.id || issued.windowStart !== payload.iat) throw new AppError(ErrorCode.LaborQrInvalid, "The workplace QR's nonce is not one the employer issued.");
    return payload;
  }
}

/** The JWS of a scanned workplace QR: the link's `qr` parameter (`…/#attend?qr=<jws>`), or the JWS itself. */
export function qrJwsOf(raw: string): string {
  const marker = raw.indexOf('#attend?');
  if (marker < 0) return raw;
  const qr = new URLSearchParams(raw.slice(marker + '#attend?'.length)).get('qr');
  return qr ?? raw;
}

/**
 * The keys an employer's ES256K signature may verify with: its DID's identity address, the tenant's recorded
 * address and its current key (after a key rotation the current key is no longer the identity's first one).
 */
export function employerKeys(employer: Pick<TenantEntity, 'did' | 'address'>, signer: Pick<JwsSigner, 'publicKey'>, didNetwork: string): VerificationKey[] {
  const keys: VerificationKey[] = [];
  const identity = didEthrAddress(employer.did, didNetwork);
  if (identity) keys.push({ kind: 'ethereum-address', address: identity });
  if (employer.address) keys.push({ kind: 'ethereum-address', address: employer.address });
  if (signer.publicKey) keys.push({ kind: 'secp256k1', publicKey: signer.publicKey });
  return keys;
}

/** An ES256 signature by the worker's did:jwk (the wallet's P-256 holder key), `kid` `<did:jwk>#0`. */
function verifyWorker(jws: DetachedJws, workerDid: string): boolean | Promise<boolean> {
  if (jws.header.alg !== 'ES256' || jws.header.kid !== `${workerDid}#0`) return false;
  return nobleSignatureCrypto.verify('ES256', { kind: 'jwk', jwk: publicJwkOfDid(workerDid) }, jws.signingInput, jws.signature);
}

/** An ES256K signature by the employer's key. */
async function verifyEmployer(jws: DetachedJws, keys: readonly VerificationKey[]): Promise<boolean> {
  if (jws.header.alg !== 'ES256K') return false;
  for (const key of keys) if (await nobleSignatureCrypto.verify('ES256K', key, jws.signingInput, jws.signature)) return true;
  return false;
}
