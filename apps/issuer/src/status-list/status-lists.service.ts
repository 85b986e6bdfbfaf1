import { randomUUID } from 'node:crypto';
import { credentialHash } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import type { JwsSigner } from '@citycred/formats';
import { actorFromLabel, type AuditLog } from '@citycred/tenancy';
import { inTransaction, TenantEntity, type StatusAction, type StatusListEntity, type StatusListKind, type StatusListPurpose } from '@citycred/persistence';
import {
  BITSTRING_MIN_ENTRIES,
  bitstringFromBytes,
  bitstringStatusListCredential,
  bitstringStatusListEntry,
  createBitstring,
  createTokenStatusList,
  fromBase64Url,
  randomIndexBelow,
  StatusListError,
  StatusListErrorCode,
  STATUS_LIST_JWT_MEDIA_TYPE,
  STATUS_LIST_JWT_TYP,
  statusListTokenPayload,
  toBase64Url,
  TokenStatus,
  tokenStatusListFromBytes,
  type BitstringPurpose,
  type BitstringStatusListEntry,
  type PackedStatusList,
  type RandomSource,
} from '@citycred/status-list';
import type { DataSource, EntityManager } from 'typeorm';
import { signCompactJws } from './compact-jws.js';
import type { StatusListAnchorQueue, StatusListSettings, StatusListSigner, StatusListTenant } from './ports.js';
import { StatusListRepository, type EntryInList, type ListIdentity, type PublishedListUrl } from './status-list.repository.js';

/** Entries per list, bitstring and token alike: the W3C minimum, so every list hides a credential among 131,072. */
export const STATUS_LIST_SIZE = BITSTRING_MIN_ENTRIES;

/**
 * New credentials go to a list while fewer than half its entries are handed out; then a new list is opened.
 * At most half full, a random draw hits a free index at least every other try, and a list's holders stay a crowd
 * of 65,536 or more.
 */
export const STATUS_LIST_FILL_LIMIT = 0.5;

/** Bits per entry of a token list: 0 VALID, 1 INVALID (revoked), 2 SUSPENDED. */
const TOKEN_BITS = 2;

/**
 * Random draws for one entry before giving up with `status-list.full`. A list at most half full makes each draw free
 * with probability ≥ 1/2, so 64 misses in a row (2⁻⁶⁴) mean the list is far past its fill limit.
 */
const MAX_DRAWS = 64;

/**
 * The most allocations a process makes in a list between two counts of its entries. Counting is an index-only
 * scan of at most ~65,536 keys; once in 256 allocations it costs little, and the fill limit is overshot by at most
 * this many entries per process (lists stay well under 51% full with dozens of processes).
 */
const MAX_ALLOCATIONS_BETWEEN_COUNTS = 256;

/** Tuning of {@link StatusLists}. */
export interface StatusListsOptions {
  /**
   * Entries a list takes before the next one is opened; default half of {@link STATUS_LIST_SIZE}. Tests lower it to
   * make a list fill up within a few allocations (the lists themselves keep their full size).
   */
  readonly capacity?: number;
  /** The audit log status changes enter (in their transaction). */
  readonly audit?: Pick<AuditLog, 'append'>;
}

/** Who opens a list when an allocation needs one: the tenant, and its signer (resolved only then). */
interface Opening {
  readonly tenant: StatusListTenant;
  readonly signer: () => Promise<JwsSigner>;
}

/** What a process knows of the current list of one (tenant, kind, purpose). */
interface CurrentList {
  readonly list: ListIdentity;
  /** Entries the list had at the last count. */
  counted: number;
  /** Entries this process handed out in it since (some may have rolled back, and other processes add theirs). */
  since: number;
}

/** What a credential must carry, from {@link StatusLists.allocate}. */
export type AllocatedStatus =
  /** `credentialStatus`: one `BitstringStatusListEntry` per purpose asked for. */
  | { readonly kind: 'bitstring'; readonly entries: readonly BitstringStatusListEntry[] }
  /** `status.status_list` of an SD-JWT VC: `{uri, idx: index}` (the format's `tokenStatus`). */
  | { readonly kind: 'token'; readonly uri: string; readonly index: number };

/** A request for status entries: `purposes` matter for bitstring lists (token lists carry both in one 2-bit value). */
export interface AllocationRequest {
  readonly credentialId: string;
  readonly kind: StatusListKind;
  readonly purposes?: readonly BitstringPurpose[];
  /**
   * The tenant's signer, as the caller resolved it before its transaction (issuance signs the credential with it):
   * a list opened by this allocation is signed with it. Without it, opening a list asks
   * {@link StatusListSigner.signerFor} from inside the transaction, which may need a second pooled connection.
   */
  readonly signer?: JwsSigner;
}

/** A credential's status as its lists say. */
export type CredentialStatusValue = 'active' | 'suspended' | 'revoked';

/** A change asked of {@link StatusLists.changeStatus}. */
export interface StatusChangeRequest {
  readonly credentialId: string;
  readonly action: StatusAction;
  readonly reason?: string | undefined;
  /** Who asks, recorded in the history (e.g. `tenant:<slug>`). */
  readonly actor: string;
}

/** The outcome of a status change. */
export interface StatusChange {
  readonly credentialId: string;
  readonly status: CredentialStatusValue;
  /** False when the credential already had the asked status (nothing published, no history row). */
  readonly changed: boolean;
  /** The lists re-published, with their new version. */
  readonly lists: ReadonlyArray<{ readonly id: string; readonly url: string; readonly version: number }>;
}

/** A list as served. */
export interface PublishedStatusList {
  readonly mediaType: 'application/vc+jwt' | typeof STATUS_LIST_JWT_MEDIA_TYPE;
  readonly jwt: string;
  /** Strong ETag, quoted. */
  readonly etag: string;
  readonly version: number;
  readonly publishedAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The status-list context's facade: hands out random indexes to new credentials, changes statuses (revoke, suspend,
 * reinstate) and serves the signed lists. Every change of a list's bits re-signs it and queues the new version's
 * digest for anchoring in the same transaction; a list is therefore never served with bits other than those signed.
 */
export class StatusLists {
  private readonly capacity: number;
  /** The current list per (tenant, kind, purpose); only lists this process saw committed (a rolled-back one never). */
  private readonly current = new Map<string, CurrentList>();
  /** Lists each transaction opened itself: not yet committed, so not cached until another transaction reads them. */
  private readonly openedIn = new WeakMap<EntityManager, Set<string>>();

  private readonly audit: Pick<AuditLog, 'append'> | null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly settings: StatusListSettings,
    private readonly signer: StatusListSigner,
    private readonly anchors: StatusListAnchorQueue,
    private readonly random: RandomSource,
    options: StatusListsOptions = {},
  ) {
    this.capacity = options.capacity ?? STATUS_LIST_SIZE * STATUS_LIST_FILL_LIMIT;
    this.audit = options.audit ?? null;
  }

  /**
   * Reserves the credential's places in the tenant's current lists, inside the issuance transaction and before the
   * credential is signed (it must carry them). Opens (and publishes) a new list when the current one has half its
   * entries handed out. Locks no list row: concurrent issuances only meet when they draw the same index (or open
   * the same list), and then the later one waits for the earlier one's outcome.
   * @param manager - the issuance transaction
   * @returns the entries the credential must carry
   * @throws AppError `request.invalid` for an empty or repeated purpose list (a programming fault of the caller)
   */
  async allocate(manager: EntityManager, tenant: StatusListTenant, request: AllocationRequest): Promise<AllocatedStatus> {
    const repository = new StatusListRepository(manager);
    const given = request.signer;
    const opening: Opening = { tenant, signer: given ? async () => given : () => this.signer.signerFor(tenant) };
    if (request.kind === 'token') {
      const { list, index } = await this.allocateIn(repository, opening, 'token', 'status', request.credentialId);
      return { kind: 'token', uri: list.url, index };
    }
    const purposes = request.purposes ?? ['revocation', 'suspension'];
    if (purposes.length === 0 || new Set(purposes).size !== purposes.length) {
      throw new AppError(ErrorCode.RequestInvalid, 'Ask for each bitstring status purpose at most once, and for at least one.');
    }
    const entries: BitstringStatusListEntry[] = [];
    for (const purpose of purposes) {
      const { list, index } = await this.allocateIn(repository, opening, 'bitstring', purpose, request.credentialId);
      entries.push(bitstringStatusListEntry({ listUrl: list.url, index, purpose }));
    }
    return { kind: 'bitstring', entries };
  }

  /**
   * Revokes, suspends or reinstates a credential of the tenant: flips its entries, bumps each list's version,
   * re-signs it, queues its digest for anchoring and appends a history row, all in one transaction. Asking for the
   * status the credential already has changes nothing.
   * @throws AppError `status.unknown-credential` (404) for a credential the tenant did not issue (another tenant's
   *   included: its existence is not disclosed), `status.revoked` (409) to suspend or reinstate a revoked credential,
   *   `status.purpose-not-supported` (409) when the credential has no entry for the change (e.g. no suspension list)
   */
  async changeStatus(tenant: StatusListTenant, request: StatusChangeRequest): Promise<StatusChange> {
    const signer = await this.signer.signerFor(tenant);
    return inTransaction(this.dataSource, async (manager) => {
      const repository = new StatusListRepository(manager);
      const placed = await this.entriesOwned(repository, tenant, request.credentialId);
      const before = statusOf(placed);
      if (before === 'revoked') {
        if (request.action === 'revoke') return { credentialId: request.credentialId, status: before, changed: false, lists: [] };
        throw new AppError(ErrorCode.StatusRevoked, 'The credential is revoked, and revocation is final: it cannot be suspended or reinstated.');
      }
      const flips = plannedFlips(placed, request.action);
      if (flips === 'unsupported') {
        throw new AppError(ErrorCode.StatusPurposeNotSupported, `The credential was issued without a status entry that can ${request.action} it.`);
      }
      if (flips.length === 0) return { credentialId: request.credentialId, status: before, changed: false, lists: [] };
      const at = this.clock.now();
      const lists = [];
      for (const { placed: target, value } of flips) {
        const bits = unpack(target.list);
        bits.set(target.entry.index, value);
        target.list.bits = toBase64Url(bits.bytes);
        target.list.version += 1;
        await this.publish(manager, repository, tenant, target.list, bits, at, signer);
        lists.push({ id: target.list.id, url: target.list.url, version: target.list.version });
      }
      await repository.appendHistory({
        tenantId: tenant.id,
        credentialId: request.credentialId,
        action: request.action,
        reason: request.reason ?? null,
        actor: request.actor,
        at: at.toISOString(),
      });
      // The reason is free text: it stays in the status history; the audit entry says who did what, when.
      await this.audit?.append(manager, { tenantId: tenant.id, actor: actorFromLabel(request.actor), action: AUDIT_ACTIONS[request.action], target: request.credentialId, at });
      return { credentialId: request.credentialId, status: statusOf(placed), changed: true, lists };
    });
  }

  /**
   * The credential's current status.
   * @throws AppError `status.unknown-credential` (404), `status.purpose-not-supported` (409) as {@link changeStatus}
   */
  async statusOf(tenant: StatusListTenant, credentialId: string): Promise<CredentialStatusValue> {
    return inTransaction(this.dataSource, async (manager) => statusOf(await this.entriesOwned(new StatusListRepository(manager), tenant, credentialId)));
  }

  /**
   * Where every list of every tenant is published (never their bits), for the issuer directory; each tenant's current
   * list of a kind and purpose comes last ({@link StatusListRepository.allListUrls}).
   */
  async publishedUrls(): Promise<PublishedListUrl[]> {
    return new StatusListRepository(this.dataSource.manager).allListUrls();
  }

  /**
   * The signed list as last published; undefined for an id no list has. A list whose version was signed by a key
   * the tenant no longer signs with (a key rotation) is first re-signed with the current key as a new version,
   * anchored like any other: verifiers check a list against the issuer's keys as of now.
   */
  async published(listId: string): Promise<PublishedStatusList | undefined> {
    if (!UUID.test(listId)) return undefined;
    let list = await new StatusListRepository(this.dataSource.manager).byId(listId);
    if (!list) return undefined;
    if (list.signedBy !== null) list = (await this.resignedIfRotated(list)) ?? list;
    return {
      mediaType: list.kind === 'bitstring' ? 'application/vc+jwt' : STATUS_LIST_JWT_MEDIA_TYPE,
      jwt: list.publishedJwt,
      etag: list.etag,
      version: list.version,
      publishedAt: list.publishedAt,
    };
  }

  private async resignedIfRotated(list: StatusListEntity): Promise<StatusListEntity | undefined> {
    const tenant = await this.dataSource.getRepository(TenantEntity).findOneBy({ id: list.tenantId });
    if (!tenant) return undefined;
    const signer = await this.signer.signerFor(tenant);
    if (!signer.publicKey || hexOf(signer.publicKey) === list.signedBy) return undefined;
    return inTransaction(this.dataSource, async (manager) => {
      const repository = new StatusListRepository(manager);
      const locked = await repository.lockedById(list.id);
      if (!locked || locked.signedBy === hexOf(signer.publicKey!)) return locked;
      locked.version += 1;
      await this.publish(manager, repository, tenant, locked, unpack(locked), this.clock.now(), signer);
      return locked;
    });
  }

  private async entriesOwned(repository: StatusListRepository, tenant: StatusListTenant, credentialId: string): Promise<EntryInList[]> {
    const placed = await repository.entriesOf(tenant.id, credentialId);
    if (placed.length > 0) return placed;
    if (await repository.issuedBy(tenant.id, credentialId)) {
      throw new AppError(ErrorCode.StatusPurposeNotSupported, 'The credential was issued without status entries; its status cannot change.');
    }
    throw new AppError(ErrorCode.StatusUnknownCredential, 'This tenant issued no credential with this id.');
  }

  private async allocateIn(
    repository: StatusListRepository,
    opening: Opening,
    kind: StatusListKind,
    purpose: StatusListPurpose,
    credentialId: string,
  ): Promise<{ list: ListIdentity; index: number }> {
    const { list, cached } = await this.listWithRoom(repository, opening, kind, purpose);
    const createdAt = this.clock.now().toISOString();
    for (let draw = 0; draw < MAX_DRAWS; draw += 1) {
      // Insert-or-nothing on the primary key: a taken index (committed, or another transaction's that commits
      // meanwhile) inserts nothing and is drawn again. No read decides, so no two transactions can both win.
      const index = randomIndexBelow(list.size, this.random);
      if (await repository.addEntryIfFree({ listId: list.id, index, credentialId, createdAt })) {
        if (cached) cached.since += 1;
        return { list, index };
      }
    }
    throw new StatusListError(StatusListErrorCode.Full, `No free index found in ${MAX_DRAWS} draws: the list is (nearly) full.`);
  }

  /**
   * The list of (tenant, kind, purpose) new credentials go to, opening the first or the next one when needed. The
   * cached current list is recounted every so often; when it is full, the next `seq` is opened, and whichever
   * transaction inserts it first is the opener: the others wait for it on the unique sequence, then use its list.
   * @returns the list, and its cache record unless this transaction opened it (uncommitted: not cached)
   */
  private async listWithRoom(
    repository: StatusListRepository,
    opening: Opening,
    kind: StatusListKind,
    purpose: StatusListPurpose,
  ): Promise<{ list: ListIdentity; cached?: CurrentList }> {
    const { tenant } = opening;
    const key = `${tenant.id}|${kind}|${purpose}`;
    for (;;) {
      let known = this.current.get(key);
      let seq = known?.list.seq ?? 0;
      if (!known) {
        const latest = await repository.latest(tenant.id, kind, purpose);
        seq = latest?.seq ?? 0;
        if (latest && this.openedIn.get(repository.manager)?.has(latest.id)) {
          // This transaction's own list (a second allocation in it): usable here, unknown to everyone else yet.
          if ((await repository.countEntries(latest.id)) < this.capacity) return { list: latest };
        } else if (latest) {
          known = { list: latest, counted: await repository.countEntries(latest.id), since: 0 };
          this.current.set(key, known);
        }
      } else if (this.countIsDue(known)) {
        // Reset first, so that the transactions running meanwhile do not all count too.
        known.since = 0;
        known.counted = await repository.countEntries(known.list.id);
      }
      if (known && known.counted + known.since < this.capacity) return { list: known.list, cached: known };
      const opened = await this.open(repository, opening, kind, purpose, seq + 1);
      if (opened) return { list: opened };
      // Another transaction opened that list first (and committed, or it would still be waited for): use it.
      this.current.delete(key);
    }
  }

  /** Whether to recount: more often as the list nears its capacity, and whenever the estimate reaches it. */
  private countIsDue(known: CurrentList): boolean {
    const room = this.capacity - known.counted;
    const interval = Math.min(MAX_ALLOCATIONS_BETWEEN_COUNTS, Math.max(1, Math.floor(room / 8)));
    return known.since >= interval || known.counted + known.since >= this.capacity;
  }

  /**
   * Opens, publishes and queues for anchoring the list `seq` of (tenant, kind, purpose), unless another transaction
   * opened it first: then nothing is written (its list is used), and only its opener anchors it.
   * @returns the list when this transaction opened it
   */
  private async open(repository: StatusListRepository, opening: Opening, kind: StatusListKind, purpose: StatusListPurpose, seq: number): Promise<ListIdentity | undefined> {
    const { tenant } = opening;
    const id = randomUUID();
    const bits = kind === 'bitstring' ? createBitstring(STATUS_LIST_SIZE) : createTokenStatusList(TOKEN_BITS, STATUS_LIST_SIZE);
    const at = this.clock.now();
    const list: StatusListEntity = {
      id,
      tenantId: tenant.id,
      kind,
      purpose,
      seq,
      size: STATUS_LIST_SIZE,
      bitsPerEntry: bits.bitsPerEntry,
      bits: toBase64Url(bits.bytes),
      version: 1,
      url: `${this.settings.publicUrl}/status-lists/${id}`,
      publishedJwt: '',
      etag: '',
      publishedAt: '',
      signedBy: null,
      createdAt: at.toISOString(),
    };
    await this.sign(list, tenant, bits, at, await opening.signer());
    if (!(await repository.insertListIfAbsent(list))) return undefined;
    await this.anchors.enqueue(repository.manager, { kind: 'status-list', digest: credentialHash(list.publishedJwt), tenantId: tenant.id }, at);
    const opened = this.openedIn.get(repository.manager) ?? new Set<string>();
    this.openedIn.set(repository.manager, opened.add(id));
    return { id, seq, size: list.size, url: list.url };
  }

  private async publish(
    manager: EntityManager,
    repository: StatusListRepository,
    tenant: StatusListTenant,
    list: StatusListEntity,
    bits: PackedStatusList,
    at: Date,
    signer: JwsSigner,
  ): Promise<void> {
    await this.sign(list, tenant, bits, at, signer);
    await repository.savePublished(list);
    await this.anchors.enqueue(manager, { kind: 'status-list', digest: credentialHash(list.publishedJwt), tenantId: tenant.id }, at);
  }

  /**
   * Signs the list's current bits into `list.publishedJwt`. Each version is dated at least a second after the one
   * before (JWT times are whole seconds), so two versions never sign the same bytes — a suspension lifted within
   * the second would otherwise re-create the previous version's exact JWT, whose digest is already anchored.
   */
  private async sign(list: StatusListEntity, tenant: StatusListTenant, bits: PackedStatusList, now: Date, signer: JwsSigner): Promise<void> {
    const previous = list.publishedAt ? Date.parse(list.publishedAt) : Number.NEGATIVE_INFINITY;
    const at = new Date(Math.max(Math.floor(now.getTime() / 1000) * 1000, previous + 1000));
    if (list.kind === 'bitstring') {
      const credential = bitstringStatusListCredential({
        url: list.url,
        issuer: tenant.did,
        purpose: list.purpose as BitstringPurpose,
        list: bits,
        validFrom: at,
        ttlMs: this.settings.maxAgeSeconds * 1000,
      });
      list.publishedJwt = await this.signer.signListCredential(credential, signer);
    } else {
      const payload = statusListTokenPayload({ uri: list.url, issuedAt: at, list: bits, ttlSeconds: this.settings.maxAgeSeconds });
      list.publishedJwt = await signCompactJws(STATUS_LIST_JWT_TYP, payload, signer);
    }
    list.etag = `"${credentialHash(list.publishedJwt).slice(2)}"`;
    list.publishedAt = at.toISOString();
    list.signedBy = signer.publicKey ? hexOf(signer.publicKey) : null;
  }
}

/** The audit action of each status change. */
const AUDIT_ACTIONS = { revoke: 'credential.revoked', suspend: 'credential.suspended', reinstate: 'credential.reinstated' } as const;

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function unpack(list: StatusListEntity): PackedStatusList {
  const bytes = fromBase64Url(list.bits);
  return list.kind === 'bitstring' ? bitstringFromBytes(bytes) : tokenStatusListFromBytes(list.bitsPerEntry as 1 | 2, bytes);
}

function valueAt(placed: EntryInList): number {
  return unpack(placed.list).get(placed.entry.index);
}

/** The status the credential's entries say: revoked wins over suspended. */
function statusOf(placed: readonly EntryInList[]): CredentialStatusValue {
  let suspended = false;
  for (const p of placed) {
    const value = valueAt(p);
    if (p.list.kind === 'token') {
      if (value === TokenStatus.Invalid) return 'revoked';
      if (value === TokenStatus.Suspended) suspended = true;
    } else if (value === 1) {
      if (p.list.purpose === 'revocation') return 'revoked';
      suspended = true;
    }
  }
  return suspended ? 'suspended' : 'active';
}

/** Which entries get which value for an action on a credential that is not revoked; `unsupported` when none can. */
function plannedFlips(placed: readonly EntryInList[], action: StatusAction): Array<{ placed: EntryInList; value: number }> | 'unsupported' {
  const token = placed.find((p) => p.list.kind === 'token');
  if (token) {
    const wanted = action === 'revoke' ? TokenStatus.Invalid : action === 'suspend' ? TokenStatus.Suspended : TokenStatus.Valid;
    return valueAt(token) === wanted ? [] : [{ placed: token, value: wanted }];
  }
  const purpose: BitstringPurpose = action === 'revoke' ? 'revocation' : 'suspension';
  const target = placed.find((p) => p.list.kind === 'bitstring' && p.list.purpose === purpose);
  if (!target) return action === 'reinstate' ? [] : 'unsupported';
  const wanted = action === 'reinstate' ? 0 : 1;
  return valueAt(target) === wanted ? [] : [{ placed: target, value: wanted }];
}
