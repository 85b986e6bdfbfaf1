import { IndexedDbStore, refreshContract, Vault, type ContractReview, type HolderKey, type VaultState } from '@citycred/wallet-core';
import { LanguageSwitch, useDocumentTitle, useLanguage, useMessages } from '@citycred/web-ui';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { readDeepLink, type DeepLink } from './deep-links.js';
import { Attend } from './flows/Attend.js';
import { Contract, WaitingOffers } from './flows/Contract.js';
import { History } from './flows/History.js';
import { LABOR_TEXTS } from './flows/labor-texts.js';
import { markOffersReceived } from './flows/labor.js';
import { LaborRecords } from './flows/LaborRecords.js';
import { BROWSER_TRANSPORT } from './flows/protocol.js';
import { Present } from './flows/Present.js';
import { ReceiveLinks } from './flows/ReceiveLinks.js';
import { refreshCardStatuses } from './flows/status-refresh.js';
import { ShowQr } from './flows/ShowQr.js';
import { FLOW_TEXTS } from './flows/texts.js';
import { CardDetail } from './screens/CardDetail.js';
import { CardList } from './screens/CardList.js';
import { FirstRun } from './screens/FirstRun.js';
import { Settings } from './screens/Settings.js';
import { Unlock } from './screens/Unlock.js';
import { TEXTS } from './texts.js';

/** Where the chosen language is kept (not secret: localStorage, not the vault, so the lock screen speaks it too). */
export const LANGUAGE_KEY = 'citycred-wallet-lang';
/** How often the app asks the vault whether the inactivity period has run out. */
const IDLE_CHECK_MS = 5000;

/** What the open wallet shows. */
type Screen =
  | { readonly name: 'list' }
  | { readonly name: 'detail'; readonly id: string }
  | { readonly name: 'settings' }
  | { readonly name: 'receive'; readonly links?: readonly string[]; readonly visit?: number; readonly fromContract?: string }
  | { readonly name: 'contract'; readonly link?: string; readonly visit?: number }
  | { readonly name: 'attend'; readonly qr?: string; readonly visit?: number }
  | { readonly name: 'labor'; readonly recordId: string }
  | { readonly name: 'present'; readonly link?: string; readonly visit?: number }
  | { readonly name: 'show-qr' }
  | { readonly name: 'history' };

/**
 * The citizen wallet: first run (PIN set twice), the lock screen, and — open — the card list, a card's detail (with
 * its status and anchoring), receiving, presenting, the scanner QR code, the sharing history and the settings. The vault (`@citycred/wallet-core`) holds every rule; this only draws what it decides.
 *
 * A same-device link (`#receive?offer=…`, `#present?request=…`: {@link readDeepLink}) is read when the page loads and
 * on `hashchange`, and the fragment cleared (a reload does not run it again); the flow opens with it once the wallet is
 * open — after the PIN, or the first run. The statuses of the cards are refreshed when the wallet opens and when the
 * device comes back online ({@link refreshCardStatuses}).
 */
export function App(): ReactNode {
  const t = useMessages(TEXTS);
  const f = useMessages(FLOW_TEXTS);
  const l = useMessages(LABOR_TEXTS);
  const { lang } = useLanguage();
  useDocumentTitle(t.title);
  const [vault, setVault] = useState<Vault>();
  const [state, setState] = useState<VaultState | 'loading' | 'unavailable'>('loading');
  const [holder, setHolder] = useState<HolderKey>();
  const [screen, setScreen] = useState<Screen>({ name: 'list' });
  const [notice, setNotice] = useState('');
  const [deepLink, setDeepLink] = useState<DeepLink & { readonly visit: number }>();
  const [statusRound, setStatusRound] = useState(0);
  const refreshing = useRef(false);
  /** Counts the flows opened by links and scans: each opening remounts its screen (a clock may repeat, a count does not). */
  const visits = useRef(0);
  const nextVisit = useCallback(() => (visits.current += 1), []);
  /** Offers waiting at the reviews of the labour contracts the wallet remembers (read when the wallet opens). */
  const [laborOffers, setLaborOffers] = useState<readonly { readonly recordId: string; readonly offers: ContractReview['offers'] }[]>([]);

  useEffect(() => {
    const take = () => {
      const link = readDeepLink(location.hash);
      if (!link) return;
      history.replaceState(history.state, '', `${location.pathname}${location.search}`);
      setDeepLink({ ...link, visit: nextVisit() });
    };
    take();
    window.addEventListener('hashchange', take);
    return () => window.removeEventListener('hashchange', take);
  }, [nextVisit]);

  // A link waits for the wallet to be open, then opens its flow (the flow reads it as if pasted, and says what is wrong with it).
  // A link that arrives on `hashchange` (another page's link to this tab, docs/wallet-protocols.md) may come after the
  // inactivity period ran out but before the idle check saw it (a background tab's timers are slowed): the vault is
  // asked first, and one idle too long locks now — the link then waits for the PIN instead of opening on a locked vault.
  useEffect(() => {
    if (state !== 'unlocked' || !deepLink || !vault) return;
    if (!vault.isUnlocked()) return;
    switch (deepLink.flow) {
      case 'receive':
        setScreen({ name: 'receive', links: deepLink.offers, visit: deepLink.visit });
        break;
      case 'present':
        setScreen({ name: 'present', ...(deepLink.request !== undefined ? { link: deepLink.request } : {}), visit: deepLink.visit });
        break;
      case 'contract':
        setScreen({ name: 'contract', ...(deepLink.url !== undefined ? { link: deepLink.url } : {}), visit: deepLink.visit });
        break;
      case 'attend':
        setScreen({ name: 'attend', ...(deepLink.qr !== undefined ? { qr: deepLink.qr } : {}), visit: deepLink.visit });
        break;
    }
    setDeepLink(undefined);
  }, [state, deepLink, vault]);

  const refreshStatuses = useCallback(async () => {
    if (!vault || refreshing.current) return;
    refreshing.current = true;
    try {
      if ((await refreshCardStatuses(vault)) > 0) setStatusRound((round) => round + 1);
    } catch {
      // Locked meanwhile, or storage refused: the last snapshots stand, and the next opening tries again.
    } finally {
      refreshing.current = false;
    }
  }, [vault]);

  // The remembered labour contracts' reviews are read when the wallet opens: a countersignature's LaborContract offer,
  // later SocialInsuranceEnrollment or WorkExperience, waits there ("새 증명서가 도착했습니다").
  const refreshLaborOffers = useCallback(async () => {
    if (!vault) return;
    try {
      const found: { recordId: string; offers: ContractReview['offers'] }[] = [];
      for (const held of await vault.laborContracts()) {
        if (held.state === 'superseded') continue;
        try {
          const { record, offers } = await refreshContract(held, BROWSER_TRANSPORT);
          await vault.saveLaborContract(record);
          if (offers.length > 0) found.push({ recordId: record.id, offers });
        } catch {
          // That contract's service is unreachable: the next opening tries again.
        }
      }
      setLaborOffers(found);
    } catch {
      // Locked meanwhile.
    }
  }, [vault]);

  useEffect(() => {
    if (state !== 'unlocked') return;
    const online = () => void refreshStatuses();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [state, refreshStatuses]);

  useEffect(() => {
    try {
      localStorage.setItem(LANGUAGE_KEY, lang);
    } catch {
      // Storage refused (private mode): the language is asked again next time.
    }
  }, [lang]);

  useEffect(() => {
    let cancelled = false;
    IndexedDbStore.open()
      .then(async (store) => {
        const opened = new Vault(store);
        const current = await opened.state();
        if (cancelled) return;
        setVault(opened);
        setState(current);
      })
      .catch(() => !cancelled && setState('unavailable'));
    return () => {
      cancelled = true;
    };
  }, []);

  // Activity keeps the wallet open; the vault locks it after the chosen inactivity, and this follows.
  useEffect(() => {
    if (!vault) return;
    const off = vault.onLock(() => {
      setState((current) => (current === 'unlocked' ? 'locked' : current));
      setHolder(undefined);
    });
    const active = () => vault.touch();
    const events = ['pointerdown', 'keydown', 'scroll'] as const;
    for (const event of events) window.addEventListener(event, active, { passive: true });
    const check = () => vault.isUnlocked();
    const timer = setInterval(check, IDLE_CHECK_MS);
    document.addEventListener('visibilitychange', check);
    return () => {
      off();
      for (const event of events) window.removeEventListener(event, active);
      clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
    };
  }, [vault]);

  // The vault is open once the PIN was right; if the holder key cannot be read, it is locked again so that the lock
  // screen (which shows the error) is never drawn over an open vault.
  const opened = useCallback(async () => {
    if (!vault) return;
    try {
      setHolder(await vault.holderKey());
    } catch (caught) {
      vault.lock();
      throw caught;
    }
    setScreen({ name: 'list' });
    setNotice('');
    setState('unlocked');
    void refreshStatuses();
    void refreshLaborOffers();
  }, [vault, refreshStatuses, refreshLaborOffers]);

  const receiveFromContract = useCallback((links: readonly string[], recordId: string) => {
    setLaborOffers((list) => list.filter((entry) => entry.recordId !== recordId));
    setScreen({ name: 'receive', links, visit: nextVisit(), fromContract: recordId });
  }, [nextVisit]);

  const wiped = useCallback(() => {
    setHolder(undefined);
    setScreen({ name: 'list' });
    setState('new');
  }, []);

  const lockNow = useCallback(() => {
    vault?.lock();
    setNotice(t.locked);
  }, [vault, t.locked]);

  return (
    <>
      <header>
        <p className="brand">{t.appName}</p>
        <div className="header-actions">
          {state === 'unlocked' && (
            <button type="button" id="lock-now" onClick={lockNow}>
              {t.lockNow}
            </button>
          )}
          <LanguageSwitch />
        </div>
      </header>
      {state === 'unlocked' && (
        <nav aria-label={t.appName}>
          <button type="button" aria-current={screen.name !== 'settings' && screen.name !== 'history' ? 'page' : undefined} onClick={() => setScreen({ name: 'list' })}>
            {t.cardsTitle}
          </button>
          <button type="button" aria-current={screen.name === 'history' ? 'page' : undefined} onClick={() => setScreen({ name: 'history' })}>
            {f.historyTitle}
          </button>
          <button type="button" aria-current={screen.name === 'settings' ? 'page' : undefined} onClick={() => setScreen({ name: 'settings' })}>
            {t.settings}
          </button>
        </nav>
      )}
      <main>
        <p role="status" className="notice" hidden={!notice}>
          {notice}
        </p>
        {deepLink && state !== 'unlocked' && (
          <p className="notice" id="link-waiting">
            {f.linkWaiting}
          </p>
        )}
        {state === 'loading' && <p>{t.loading}</p>}
        {state === 'unavailable' && <p className="error">{t.storageUnavailable}</p>}
        {vault && state === 'new' && <FirstRun vault={vault} onDone={opened} />}
        {vault && state === 'locked' && <Unlock vault={vault} onOpened={opened} onWiped={wiped} />}
        {vault && state === 'unlocked' && screen.name === 'list' && (
          <CardList
            vault={vault}
            holder={holder}
            statusRound={statusRound}
            onOpen={(id) => setScreen({ name: 'detail', id })}
            onReceive={() => setScreen({ name: 'receive' })}
            onPresent={() => setScreen({ name: 'present' })}
            onShowQr={() => setScreen({ name: 'show-qr' })}
          />
        )}
        {vault && state === 'unlocked' && screen.name === 'list' && laborOffers.map((entry) => <WaitingOffers key={entry.recordId} offers={entry.offers} lang={lang} l={l} onReceive={() => receiveFromContract(entry.offers.map((offer) => offer.link), entry.recordId)} />)}
        {vault && state === 'unlocked' && screen.name === 'receive' && (
          <ReceiveLinks
            key={screen.visit}
            links={screen.links ?? []}
            vault={vault}
            holder={holder}
            onOpen={(id) => setScreen({ name: 'detail', id })}
            onCancel={() => setScreen({ name: 'list' })}
            {...(screen.fromContract !== undefined ? { onReceivedLink: (link: string) => void markOffersReceived(vault, screen.fromContract!, [link]) } : {})}
            onContract={(text) => setScreen({ name: 'contract', link: text, visit: nextVisit() })}
            onAttend={(text) => setScreen({ name: 'attend', qr: text, visit: nextVisit() })}
          />
        )}
        {vault && state === 'unlocked' && screen.name === 'contract' && <Contract key={screen.visit} vault={vault} holder={holder} link={screen.link} onReceive={receiveFromContract} onCancel={() => setScreen({ name: 'list' })} />}
        {vault && state === 'unlocked' && screen.name === 'attend' && (
          <Attend key={screen.visit} vault={vault} holder={holder} qr={screen.qr} onOpenRecords={(recordId) => setScreen({ name: 'labor', recordId })} onCancel={() => setScreen({ name: 'list' })} />
        )}
        {vault && state === 'unlocked' && screen.name === 'labor' && (
          <section aria-label={l.laborTitle}>
            <button type="button" className="link" onClick={() => setScreen({ name: 'list' })}>
              ← {t.back}
            </button>
            <LaborRecords vault={vault} holder={holder} recordId={screen.recordId} onReceive={receiveFromContract} />
          </section>
        )}
        {vault && state === 'unlocked' && screen.name === 'present' && <Present key={screen.visit} vault={vault} holder={holder} {...(screen.link !== undefined ? { link: screen.link } : {})} onCancel={() => setScreen({ name: 'list' })} />}
        {vault && state === 'unlocked' && screen.name === 'show-qr' && <ShowQr vault={vault} holder={holder} onCancel={() => setScreen({ name: 'list' })} />}
        {vault && state === 'unlocked' && screen.name === 'history' && <History vault={vault} />}
        {vault && state === 'unlocked' && screen.name === 'detail' && (
          <CardDetail
            vault={vault}
            holder={holder}
            id={screen.id}
            onReceive={receiveFromContract}
            onBack={() => setScreen({ name: 'list' })}
            onDeleted={() => {
              setNotice(t.deleted);
              setScreen({ name: 'list' });
            }}
          />
        )}
        {vault && state === 'unlocked' && screen.name === 'settings' && <Settings vault={vault} holder={holder} onWiped={wiped} />}
      </main>
    </>
  );
}
