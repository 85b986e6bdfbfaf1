import { decodeCompactJws, nobleSignatureCrypto, signCompactJws, verifyJwsSignature } from '@citycred/formats';
import { loadFormatVector } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import { credentialRecordOf, viewCredential, type WalletCredential } from './credential-record.js';
import { WalletErrorCode } from './errors.js';
import { MemoryStore } from './storage.js';
import { DEFAULT_AUTO_LOCK_MS, FIRST_PIN_WAIT_MS, LOCKOUT_FAILURES, MAX_PIN_WAIT_MS, Vault, type VaultLocks, type WalletClock } from './vault.js';

const PIN = '246810';
const PASSPHRASE = 'correct horse battery';

/** A clock the test moves by hand. */
class ManualClock implements WalletClock {
  private at = Date.parse('2026-11-30T09:00:00Z');
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** A wallet set up with {@link PIN} over a fresh store (the store's map stands for the browser's IndexedDB). */
async function newWallet(clock = new ManualClock()): Promise<{ vault: Vault; entries: Map<string, unknown>; clock: ManualClock }> {
  const entries = new Map<string, unknown>();
  const vault = new Vault(new MemoryStore(entries), clock);
  await vault.setUp(PIN);
  return { vault, entries, clock };
}

/** The page reloaded: a new vault over the same stored records. */
const reloaded = (entries: Map<string, unknown>, clock: WalletClock, locks?: VaultLocks) => new Vault(new MemoryStore(entries), clock, locks);

/** `navigator.locks` as the origin's tabs share it: one exclusive lock per name, granted in the order asked. */
class OriginLocks implements VaultLocks {
  private readonly tails = new Map<string, Promise<unknown>>();
  request<T>(name: string, callback: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(name) ?? Promise.resolve()).then(callback, callback);
    this.tails.set(name, result.catch(() => undefined));
    return result;
  }
}

const jwtVc = loadFormatVector('jwt_vc');
const vcJwt = loadFormatVector('vc+jwt');
const credentialOf = (encoded: string, clock: WalletClock): WalletCredential => credentialRecordOf(encoded, clock.now());

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('Vault', () => {
  it('is set up once with a PIN of 6 or more digits, opens with that PIN only, and locked reads nothing', async () => {
    const entries = new Map<string, unknown>();
    const clock = new ManualClock();
    const fresh = new Vault(new MemoryStore(entries), clock);
    expect(await fresh.state()).toBe('new');
    expect(await codeOf(fresh.unlock(PIN))).toBe(WalletErrorCode.NotSetUp);
    expect(await codeOf(fresh.setUp('12345'))).toBe(WalletErrorCode.InvalidPin);
    expect(await codeOf(fresh.setUp('12345a'))).toBe(WalletErrorCode.InvalidPin);
    await fresh.setUp(PIN);
    expect(await fresh.state()).toBe('unlocked');
    expect(await codeOf(fresh.setUp('999999'))).toBe(WalletErrorCode.AlreadySetUp);

    const vault = reloaded(entries, clock);
    expect(await vault.state()).toBe('locked');
    expect(await codeOf(vault.credentials())).toBe(WalletErrorCode.Locked);
    expect(await codeOf(vault.unlock('246811'))).toBe(WalletErrorCode.WrongPin);
    expect(await vault.state()).toBe('locked');
    expect(await vault.throttle()).toEqual({ failures: 1 });
    await vault.unlock(PIN);
    expect(await vault.state()).toBe('unlocked');
    expect(await vault.throttle()).toEqual({ failures: 0 });
    expect(await vault.credentials()).toEqual([]);
  });

  it('stores each credential sealed: the store holds ciphertext only, under the record’s own key', async () => {
    const { vault, entries, clock } = await newWallet();
    const credential = credentialOf(jwtVc.encoded, clock);
    await vault.saveCredential(credential);
    expect(await vault.credentials()).toEqual([credential]);
    const stored = JSON.stringify([...entries.values()].filter((value) => !(value instanceof Object && 'privateKey' in value)));
    const holderRecord = entries.get('holder-key') as { privateKey: CryptoKey; jwk: unknown };
    const subjectName = String((jwtVc.credential['credentialSubject'] as Record<string, unknown>)['name'] ?? 'credentialSubject');
    for (const secret of [jwtVc.encoded, jwtVc.encoded.split('.')[1]!, credential.issuer, subjectName, (await vault.holderKey()).did]) {
      expect(stored).not.toContain(secret);
      expect(JSON.stringify(holderRecord.jwk)).not.toContain(secret);
    }
    expect(entries.get(`credential/${credential.id}`)).toEqual({ iv: expect.stringMatching(/^[\w-]{16}$/), ciphertext: expect.stringMatching(/^[\w-]+$/) });

    // A sealed record moved under another record's key does not open there (the key is authenticated with it).
    await vault.saveCredential({ ...credentialOf(vcJwt.encoded, clock), id: 'second' });
    entries.set('credential/second', entries.get(`credential/${credential.id}`));
    expect(await codeOf(vault.credential('second'))).toBe(WalletErrorCode.Corrupted);
  });

  it('keeps a non-extractable P-256 holder key whose did:jwk signer makes ES256 signatures the format library verifies', async () => {
    const { vault, entries, clock } = await newWallet();
    const holder = await vault.holderKey();
    expect(holder.did).toMatch(/^did:jwk:[\w-]+$/);
    expect(holder.signer).toMatchObject({ alg: 'ES256', kid: `${holder.did}#0` });
    const { privateKey } = entries.get('holder-key') as { privateKey: CryptoKey };
    expect(privateKey.extractable).toBe(false);
    await expect(globalThis.crypto.subtle.exportKey('jwk', privateKey)).rejects.toThrow();

    const jws = await signCompactJws({ alg: 'ES256', typ: 'JWT', kid: holder.signer.kid }, { nonce: 'n-1' }, holder.signer);
    const check = await verifyJwsSignature(decodeCompactJws(jws), [{ kind: 'jwk', jwk: holder.jwk }], nobleSignatureCrypto);
    expect(check.valid).toBe(true);

    // The same key after a reload and unlock.
    const again = reloaded(entries, clock);
    await again.unlock(PIN);
    expect((await again.holderKey()).did).toBe(holder.did);
  });

  it('after 5 wrong PINs in a row makes each further try wait longer, counted across reloads, and a right PIN resets the count', async () => {
    const { vault, entries, clock } = await newWallet();
    vault.lock();
    for (let i = 1; i <= 4; i += 1) {
      const error = await vault.unlock('000000').catch((e: unknown) => e as { code: string; retryAt?: Date });
      expect(error).toMatchObject({ code: WalletErrorCode.WrongPin, retryAt: undefined });
    }
    // The page is reloaded: the count is in the store, not in the page.
    const afterReload = reloaded(entries, clock);
    expect(await afterReload.throttle()).toEqual({ failures: 4 });
    const fifth = await afterReload.unlock('000000').catch((e: unknown) => e as { code: string; retryAt?: Date });
    expect(fifth).toMatchObject({ code: WalletErrorCode.WrongPin, retryAt: new Date(clock.now().getTime() + FIRST_PIN_WAIT_MS) });

    // Even the right PIN is not tried while the wait runs, and another reload does not end it.
    expect(await codeOf(afterReload.unlock(PIN))).toBe(WalletErrorCode.Throttled);
    clock.advance(FIRST_PIN_WAIT_MS - 1);
    const thirdLoad = reloaded(entries, clock);
    const throttled = await thirdLoad.unlock(PIN).catch((e: unknown) => e as { code: string; retryAt?: Date });
    expect(throttled).toMatchObject({ code: WalletErrorCode.Throttled, retryAt: new Date(clock.now().getTime() + 1) });
    expect(await thirdLoad.state()).toBe('locked');

    // The wait over, a 6th wrong PIN doubles it.
    clock.advance(1);
    const sixth = await thirdLoad.unlock('000000').catch((e: unknown) => e as { code: string; retryAt?: Date });
    expect(sixth).toMatchObject({ code: WalletErrorCode.WrongPin, retryAt: new Date(clock.now().getTime() + 2 * FIRST_PIN_WAIT_MS) });
    clock.advance(2 * FIRST_PIN_WAIT_MS);
    await thirdLoad.unlock(PIN);
    expect(await thirdLoad.throttle()).toEqual({ failures: 0 });
    thirdLoad.lock();
    expect(await thirdLoad.unlock('000000').catch((e: unknown) => e)).toMatchObject({ code: WalletErrorCode.WrongPin, retryAt: undefined });
  });

  it('counts every wrong PIN tried at once, in one page and in two tabs, so the wait cannot be skipped', async () => {
    const { vault, entries, clock } = await newWallet();
    vault.lock();
    const codes = async (attempts: Array<Promise<void>>) => (await Promise.allSettled(attempts)).map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'opened'));
    expect(await codes([1, 2, 3, 4].map(() => vault.unlock('000000')))).toEqual(Array(4).fill(WalletErrorCode.WrongPin));
    expect(await vault.throttle()).toEqual({ failures: 4 });

    // Two tabs over the same store, ten tries at once: the 5th wrong PIN starts the wait, the others are not tried.
    const locks = new OriginLocks();
    const tabs = [reloaded(entries, clock, locks), reloaded(entries, clock, locks)];
    const outcome = await codes(Array.from({ length: 10 }, (_, i) => tabs[i % 2]!.unlock(i === 9 ? PIN : '000000')));
    expect(outcome.filter((code) => code === WalletErrorCode.WrongPin)).toHaveLength(1);
    expect(outcome.filter((code) => code === WalletErrorCode.Throttled)).toHaveLength(9);
    expect(await vault.throttle()).toEqual({ failures: 5, retryAt: new Date(clock.now().getTime() + FIRST_PIN_WAIT_MS) });
  });

  it('fails closed when the wrong-PIN record is deleted or damaged: the longest wait starts instead of a fresh count', async () => {
    const { vault, entries, clock } = await newWallet();
    vault.lock();
    for (let i = 0; i < 5; i += 1) await vault.unlock('000000').catch(() => undefined);
    for (const damaged of [undefined, { failures: -1 }, 'zero']) {
      if (damaged === undefined) entries.delete('pin-throttle');
      else entries.set('pin-throttle', damaged);
      const page = reloaded(entries, clock);
      expect(await page.throttle()).toEqual({ failures: LOCKOUT_FAILURES, recordLost: true });
      const error = await page.unlock(PIN).catch((e: unknown) => e as { code: string; retryAt?: Date });
      expect(error).toMatchObject({ code: WalletErrorCode.Throttled, retryAt: new Date(clock.now().getTime() + MAX_PIN_WAIT_MS) });
      expect(await page.throttle()).toEqual({ failures: LOCKOUT_FAILURES, retryAt: new Date(clock.now().getTime() + MAX_PIN_WAIT_MS), recordLost: true });
      expect(await page.state()).toBe('locked');
    }
    // The wait over, the right PIN still opens and resets the count.
    clock.advance(MAX_PIN_WAIT_MS);
    const page = reloaded(entries, clock);
    await page.unlock(PIN);
    expect(await page.throttle()).toEqual({ failures: 0 });
  });

  it('is set up by one tab only: a second tab setting up at once is told to reload, and the first PIN and key stay', async () => {
    const entries = new Map<string, unknown>();
    const clock = new ManualClock();
    const locks = new OriginLocks();
    const [first, second] = [new Vault(new MemoryStore(entries), clock, locks), new Vault(new MemoryStore(entries), clock, locks)];
    const outcome = await Promise.allSettled([first.setUp(PIN), second.setUp('13579135')]);
    expect(outcome[0].status).toBe('fulfilled');
    expect(outcome[1].status === 'rejected' && (outcome[1].reason as { code: string }).code).toBe(WalletErrorCode.AlreadySetUp);
    const did = (await first.holderKey()).did;
    const page = reloaded(entries, clock);
    await page.unlock(PIN);
    expect((await page.holderKey()).did).toBe(did);

    // Without Web Locks the store's add still refuses the second vault record, and nothing of the loser is kept.
    const bare = new Map<string, unknown>();
    const [a, b] = [new Vault(new MemoryStore(bare), clock), new Vault(new MemoryStore(bare), clock)];
    const race = await Promise.allSettled([a.setUp(PIN), b.setUp('13579135')]);
    expect(race.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'set up')).sort()).toEqual([WalletErrorCode.AlreadySetUp, 'set up'].sort());
    const winner = race[0].status === 'fulfilled' ? a : b;
    const again = reloaded(bare, clock);
    await again.unlock(race[0].status === 'fulfilled' ? PIN : '13579135');
    expect((await again.holderKey()).did).toBe((await winner.holderKey()).did);
  });

  it('takes a longer passcode with letters (8 to 32 characters), and tells the lock screen which field to show', async () => {
    const entries = new Map<string, unknown>();
    const clock = new ManualClock();
    const vault = new Vault(new MemoryStore(entries), clock);
    for (const bad of ['12345', '123456a', 'x'.repeat(33), '1'.repeat(33), ' passcode ']) expect(await codeOf(vault.setUp(bad)), bad).toBe(WalletErrorCode.InvalidPin);
    await vault.setUp('한강 다리 seven 7');
    expect(await vault.passcodeKind()).toBe('text');
    const page = reloaded(entries, clock);
    expect(await codeOf(page.unlock('한강 다리 seven 8'))).toBe(WalletErrorCode.WrongPin);
    // The same passcode typed as decomposed jamo opens it too (NFC).
    await page.unlock('한강 다리 seven 7'.normalize('NFD'));
    expect(await page.state()).toBe('unlocked');
    expect(await (await newWallet()).vault.passcodeKind()).toBe('digits');
  });

  it('locks itself after the chosen inactivity (5 minutes unless changed); activity starts the period again', async () => {
    const { vault, entries, clock } = await newWallet();
    const locks: string[] = [];
    vault.onLock(() => locks.push('locked'));
    expect(vault.autoLockMs()).toBe(DEFAULT_AUTO_LOCK_MS);
    clock.advance(DEFAULT_AUTO_LOCK_MS - 1000);
    vault.touch();
    clock.advance(DEFAULT_AUTO_LOCK_MS - 1000);
    expect(await vault.credentials()).toEqual([]);
    expect(locks).toEqual([]);
    clock.advance(DEFAULT_AUTO_LOCK_MS);
    expect(vault.isUnlocked()).toBe(false);
    expect(locks).toEqual(['locked']);
    expect(await codeOf(vault.credentials())).toBe(WalletErrorCode.Locked);

    // A shorter period, kept for the next unlock after a reload.
    await vault.unlock(PIN);
    await vault.setAutoLockMs(60_000);
    await expect(vault.setAutoLockMs(1)).rejects.toThrow(TypeError);
    const next = reloaded(entries, clock);
    await next.unlock(PIN);
    expect(next.autoLockMs()).toBe(60_000);
    clock.advance(59_999);
    expect(next.isUnlocked()).toBe(true);
    clock.advance(60_000);
    expect(await next.state()).toBe('locked');

    // A stored period the settings do not offer (changed by hand) is not honoured: the default applies.
    for (const autoLockMs of [24 * 3600_000, 30_000, 90 * 60_000]) {
      entries.set('settings', { autoLockMs });
      const page = reloaded(entries, clock);
      await page.unlock(PIN);
      expect(page.autoLockMs(), String(autoLockMs)).toBe(DEFAULT_AUTO_LOCK_MS);
    }
  });

  it('exports an encrypted backup and imports it into another wallet, by merge or by replace', async () => {
    const { vault, clock } = await newWallet();
    const first = credentialOf(jwtVc.encoded, clock);
    clock.advance(1000);
    const second = credentialOf(vcJwt.encoded, clock);
    await vault.saveCredential(first);
    await vault.saveCredential(second);
    expect(await codeOf(vault.exportBackup('short'))).toBe(WalletErrorCode.WeakPassphrase);
    const file = await vault.exportBackup(PASSPHRASE);
    const json = JSON.parse(file) as Record<string, unknown>;
    expect(json).toMatchObject({ format: 'citycred-wallet-backup', version: 1, kdf: { name: 'PBKDF2-SHA-256', iterations: 600_000 }, cipher: 'AES-256-GCM' });
    expect(file).not.toContain(jwtVc.encoded.split('.')[1]!);

    // Another device: a new wallet with its own key and a credential of its own.
    const other = (await newWallet(clock)).vault;
    const own = { ...credentialOf(jwtVc.encoded, clock), id: 'own' };
    await other.saveCredential(own);
    expect(await other.importBackup(file, PASSPHRASE, 'merge')).toEqual({ imported: 1, skipped: 1, removed: 0, laborContracts: 0 });
    expect((await other.credentials()).map((c) => c.encoded).sort()).toEqual([first.encoded, second.encoded].sort());
    expect(await other.importBackup(file, PASSPHRASE, 'merge')).toEqual({ imported: 0, skipped: 2, removed: 0, laborContracts: 0 });
    expect(await other.importBackup(file, PASSPHRASE, 'replace')).toEqual({ imported: 2, skipped: 0, removed: 2, laborContracts: 0 });
    expect(await other.credentials()).toEqual([first, second]);

    // Bound to the key of the wallet that received it, not to this one's.
    const view = viewCredential(first, await other.holderKey(), clock.now());
    expect(view.binding).not.toBe('this-wallet');
  });

  it('refuses a backup with the wrong passphrase or changed in any member, and then changes nothing', async () => {
    const { vault, clock } = await newWallet();
    await vault.saveCredential(credentialOf(jwtVc.encoded, clock));
    const file = await vault.exportBackup(PASSPHRASE);
    const target = (await newWallet(clock)).vault;
    const held = { ...credentialOf(vcJwt.encoded, clock), id: 'held' };
    await target.saveCredential(held);

    const json = JSON.parse(file) as { kdf: { iterations: number; salt: string }; ciphertext: string; iv: string; version: number };
    const flip = (text: string) => `${text.slice(0, 10)}${text[10] === 'A' ? 'B' : 'A'}${text.slice(11)}`;
    const cases: Array<[string, string, string]> = [
      ['wrong passphrase', file, WalletErrorCode.BackupUnreadable],
      ['changed ciphertext', JSON.stringify({ ...json, ciphertext: flip(json.ciphertext) }), WalletErrorCode.BackupUnreadable],
      ['changed salt', JSON.stringify({ ...json, kdf: { ...json.kdf, salt: flip(json.kdf.salt) } }), WalletErrorCode.BackupUnreadable],
      ['more iterations', JSON.stringify({ ...json, kdf: { ...json.kdf, iterations: 700_000 } }), WalletErrorCode.BackupUnreadable],
      ['weakened iterations', JSON.stringify({ ...json, kdf: { ...json.kdf, iterations: 1000 } }), WalletErrorCode.BackupMalformed],
      ['another version', JSON.stringify({ ...json, version: 2 }), WalletErrorCode.BackupMalformed],
      ['not JSON', file.slice(0, 40), WalletErrorCode.BackupMalformed],
    ];
    for (const [name, text, code] of cases) {
      const passphrase = name === 'wrong passphrase' ? 'wrong horse battery' : PASSPHRASE;
      expect(await codeOf(target.importBackup(text, passphrase, 'replace')), name).toBe(code);
      expect(await target.credentials(), name).toEqual([held]);
    }
  });

  it('deletes one credential, and a wipe leaves nothing, not even the wrong-PIN count', async () => {
    const { vault, entries, clock } = await newWallet();
    const kept = credentialOf(jwtVc.encoded, clock);
    const gone = credentialOf(vcJwt.encoded, clock);
    await vault.saveCredential(kept);
    await vault.saveCredential(gone);
    await vault.deleteCredential(gone.id);
    expect(await vault.credentials()).toEqual([kept]);
    expect(await codeOf(vault.deleteCredential(gone.id))).toBe(WalletErrorCode.NotFound);

    vault.lock();
    await vault.unlock('111111').catch(() => undefined);
    await vault.wipe();
    expect(entries.size).toBe(0);
    expect(await vault.state()).toBe('new');
    await vault.setUp('13579135');
    expect(await vault.credentials()).toEqual([]);
    expect(await vault.throttle()).toEqual({ failures: 0 });
  });

  it('keeps the sharing history sealed on the device, newest first, out of backups, and clears it without touching the credentials', async () => {
    const { vault, entries, clock } = await newWallet();
    const card = credentialRecordOf(jwtVc.encoded, clock.now(), { credentialIssuer: 'https://issuer.seoul.example/oid4vci/seoul-citizen' });
    await vault.saveCredential(card);
    expect((await vault.credential(card.id)).credentialIssuer).toBe('https://issuer.seoul.example/oid4vci/seoul-citizen');
    const shared = [{ credentialId: card.id, type: card.type, claims: ['ageOver18'] }];
    await vault.recordSharing({ id: 'first', at: clock.now().toISOString(), channel: 'oid4vp', verifier: 'decentralized_identifier:did:jwk:abc', purpose: '채용', outcome: 'sent', shared });
    clock.advance(60_000);
    await vault.recordSharing({ id: 'second', at: clock.now().toISOString(), channel: 'scan-qr', verifier: 'https://jobs.seoul.example', outcome: 'declined', shared: [] });
    expect((await vault.sharingHistory()).map((entry) => entry.id)).toEqual(['second', 'first']);
    expect(JSON.stringify(entries.get('sharing/first'))).not.toContain('ageOver18');
    expect(JSON.stringify(entries.get('sharing/first'))).not.toContain('did:jwk');

    const backup = await vault.exportBackup(PASSPHRASE);
    const other = await newWallet();
    await other.vault.importBackup(backup, PASSPHRASE, 'merge');
    expect(await other.vault.sharingHistory()).toEqual([]);

    await vault.clearSharingHistory();
    expect(await vault.sharingHistory()).toEqual([]);
    expect([...entries.keys()].filter((key) => key.startsWith('sharing/'))).toEqual([]);
    expect(await vault.credentials()).toHaveLength(1);
    vault.lock();
    expect(await codeOf(vault.sharingHistory())).toBe(WalletErrorCode.Locked);
  });
});
