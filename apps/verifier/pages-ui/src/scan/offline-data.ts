// The scanner's offline data (docs/presentations.md, "Offline scanning"): the offline verifier the verifier serves at
// /scan/offline.js (apps/verifier/src/scan/offline, bundled on its own by `npm run build`), loaded while online so
// that it is there when the network is not; the signed bundle it checks, kept in localStorage with the verifier key it
// was checked against; and the nonces of QR codes accepted offline on this device.
import { useCallback, useEffect, useRef, useState } from 'react';
import type * as OfflineVerifier from '../../../src/scan/offline/index.js';

/** The offline verifier module. */
export type OfflineModule = typeof OfflineVerifier;
/** The verifier's public key a bundle is checked against. */
type PublicJwk = Parameters<OfflineModule['verifyBundle']>[1];
/** What the offline verifier answers for a worker's QR code. */
export type OfflineVerdict = OfflineVerifier.OfflineVerdict;

/** Where the offline bundle (with the verifier key it was checked against) and the nonces seen offline are kept. */
const OFFLINE_STORE = 'citycred.scan.offline-bundle';
const NONCE_STORE = 'citycred.scan.seen-nonces';
/** Where the verifier serves the offline verifier (same origin, the scanner's CSP; the service worker keeps it). */
const OFFLINE_MODULE_URL = '/scan/offline.js';

/** The kept bundle: its JWS, the verifier key, and what `verifyBundle` found. */
export interface KeptBundle {
  readonly jws: string;
  readonly jwk: PublicJwk;
  readonly check: OfflineVerifier.BundleCheck;
}

/** The offline data as the page shows and uses it. */
export interface OfflineData {
  /** The offline verifier, once loaded (null before, or when it could not be loaded). */
  readonly verifier: OfflineModule | null;
  /** The kept bundle, or null when none is kept. */
  readonly kept: KeptBundle | null;
  /** `updating` while the bundle is fetched, `failed` when the last fetch failed. */
  readonly update: 'idle' | 'updating' | 'failed';
  /** Fetches the current bundle (while online) and keeps it when it verifies. */
  refresh(): Promise<void>;
  /** Verifies the worker's QR code with the kept bundle, without network; null when there is nothing to verify with. */
  verify(text: string, policy: string): Promise<OfflineVerdict | null>;
}

function readStored(key: string): unknown {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

function writeStored(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage refused (private mode, full): the page still has it until it is closed.
  }
}

/**
 * The nonces of QR codes accepted offline on this device (localStorage), each kept until its code is too old to be
 * accepted anyway: a code shown twice here is a replay.
 */
function seenNonces(bundle: OfflineVerifier.OfflineBundlePayload): OfflineVerifier.SeenNonces {
  const now = Date.now();
  const stored = readStored(NONCE_STORE);
  const kept: Record<string, number> = Object.fromEntries(
    Object.entries(typeof stored === 'object' && stored !== null ? stored : {}).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > now),
  );
  const keepFor = (bundle.scan.maxAgeSeconds + 2 * bundle.scan.clockSkewSeconds) * 1000;
  return {
    has: (nonce) => Object.hasOwn(kept, nonce),
    add(nonce) {
      kept[nonce] = now + keepFor;
      writeStored(NONCE_STORE, kept);
    },
  };
}

/**
 * Loads the offline verifier, reads the kept bundle (checked against the kept verifier key: a bundle altered in
 * storage verifies nothing) and, when online and whenever the browser comes back online, fetches the current one.
 */
export function useOfflineData(): OfflineData {
  const [verifier, setVerifier] = useState<OfflineModule | null>(null);
  const [kept, setKept] = useState<KeptBundle | null>(null);
  const [update, setUpdate] = useState<OfflineData['update']>('idle');
  const current = useRef<{ verifier: OfflineModule | null; kept: KeptBundle | null; updating: boolean }>({ verifier: null, kept: null, updating: false });

  const refresh = useCallback(async () => {
    const offline = current.current.verifier;
    if (!offline || current.current.updating) return;
    current.current.updating = true;
    setUpdate('updating');
    const res = await fetch('/scan/offline-bundle', { cache: 'no-store' }).catch(() => null);
    const jws = res && res.status === 200 ? (await res.text().catch(() => '')).trim() : '';
    const jwk = jws ? offline.verifierJwkOf(jws) : undefined;
    const check = jwk ? await offline.verifyBundle(jws, jwk) : null;
    current.current.updating = false;
    if (jwk && check?.valid) {
      const bundle = { jws, jwk, check };
      current.current.kept = bundle;
      setKept(bundle);
      writeStored(OFFLINE_STORE, { jws, jwk });
      setUpdate('idle');
    } else {
      setUpdate('failed');
    }
  }, []);

  const verify = useCallback(async (text: string, policy: string) => {
    const { verifier: offline, kept: bundle } = current.current;
    if (!offline || !bundle) return null;
    const nonces = bundle.check.valid ? seenNonces(bundle.check.bundle) : { has: () => false, add: () => undefined };
    return offline.verifyOffline(text, policy, bundle.check, new Date(), nonces);
  }, []);

  useEffect(() => {
    let gone = false;
    void (async () => {
      let offline: OfflineModule;
      try {
        offline = (await import(/* @vite-ignore */ OFFLINE_MODULE_URL)) as OfflineModule;
      } catch {
        return;
      }
      if (gone) return;
      current.current.verifier = offline;
      const stored = readStored(OFFLINE_STORE) as { jws?: unknown; jwk?: unknown } | null;
      if (stored && typeof stored.jws === 'string' && typeof stored.jwk === 'object' && stored.jwk !== null) {
        const bundle = { jws: stored.jws, jwk: stored.jwk as PublicJwk, check: await offline.verifyBundle(stored.jws, stored.jwk as PublicJwk) };
        if (gone) return;
        current.current.kept = bundle;
        setKept(bundle);
      }
      setVerifier(() => offline);
      if (navigator.onLine !== false) await refresh();
    })();
    const online = () => void refresh();
    addEventListener('online', online);
    return () => {
      gone = true;
      removeEventListener('online', online);
    };
  }, [refresh]);

  return { verifier, kept, update, refresh, verify };
}
