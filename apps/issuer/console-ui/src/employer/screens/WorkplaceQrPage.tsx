import { QrSvg, WALLET_TAB } from '@citycred/web-ui';
import { useEffect, useRef, useState } from 'react';
import { isSignedOut, Loading, useSession } from '../../ui.js';
import { useLabor } from '../EmployerApp.js';
import { laborApi, type WorkplaceQr } from '../api.js';
import { hashOf } from '../routes.js';
import { nextRefreshSeconds } from '../workplace.js';
import { useEmployerTexts } from '../texts.js';

/** Seconds left until a local instant (ms), ticking every second. */
function useCountdown(until: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === undefined) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return until === undefined ? undefined : Math.max(0, Math.ceil((until - now) / 1000));
}

/** Keeps a tablet's screen on while the page shows (Screen Wake Lock, where the browser has it). */
function useWakeLock(): void {
  useEffect(() => {
    let lock: { release(): Promise<void> } | undefined;
    let live = true;
    const nav = navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<{ release(): Promise<void> }> } };
    nav.wakeLock?.request('screen').then(
      (l) => (live ? (lock = l) : void l.release()),
      () => undefined,
    );
    return () => {
      live = false;
      void lock?.release().catch(() => undefined);
    };
  }, []);
}

/**
 * The workplace tablet's page (`/employer/#/workplace`): the employer-signed rotating QR code workers scan to check in
 * and out, full screen, fetched again before it expires (the server changes its nonce every 30 seconds), with a
 * countdown, in Korean and English at once (workers may read either).
 */
export function WorkplaceQrPage() {
  const { e } = useEmployerTexts();
  const { settings } = useLabor();
  const { signedOut } = useSession();
  const [qr, setQr] = useState<WorkplaceQr>();
  const [failed, setFailed] = useState(false);
  const [nextAt, setNextAt] = useState<number>();
  const round = useRef(0);
  useWakeLock();

  useEffect(() => {
    let live = true;
    let timer: number | undefined;
    const fetchQr = async () => {
      const mine = ++round.current;
      try {
        const fresh = await laborApi.workplaceQr();
        if (!live || mine !== round.current) return;
        const wait = nextRefreshSeconds(fresh);
        setQr(fresh);
        setFailed(false);
        setNextAt(Date.now() + wait * 1000);
        timer = window.setTimeout(fetchQr, wait * 1000);
      } catch (caught) {
        if (!live) return;
        if (isSignedOut(caught)) return signedOut();
        // A code that could not be renewed soon stops checking anyone in: none is shown rather than a stale one.
        setFailed(true);
        setNextAt(undefined);
        timer = window.setTimeout(fetchQr, 5000);
      }
    };
    void fetchQr();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [signedOut]);

  const left = useCountdown(nextAt);
  const fullScreen = () => void document.documentElement.requestFullscreen?.().catch(() => undefined);

  return (
    <section className="workplace" aria-labelledby="workplace-title">
      <h1 id="workplace-title">
        <span lang="ko">{e.workplace.title}</span> <span lang="en">/ {e.workplace.titleEn}</span>
      </h1>
      <p className="workplace-employer">{settings.employer.name}</p>
      <div className="workplace-qr">
        {qr && !failed ? <QrSvg text={qr.link} label={e.workplace.qrLabel} level="L" className="qr workplace-code" id="workplace-qr" /> : failed ? null : <Loading />}
      </div>
      <p className="workplace-instruction">
        <span lang="ko">{e.workplace.instruction}</span>
        <br />
        <span lang="en">{e.workplace.instructionEn}</span>
      </p>
      {failed ? (
        <p className="banner error" role="alert">
          {e.workplace.offline}
        </p>
      ) : (
        <p className="workplace-countdown" aria-live="off">
          {left === undefined ? e.workplace.refreshing : left > 0 ? e.workplace.changesIn(left) : e.workplace.refreshing}
        </p>
      )}
      <p className="workplace-tools">
        {qr && !failed && /^https?:/.test(qr.link) ? (
          // For a worker on this very device (a phone that shows the page, or a demo on one computer): the same link
          // the QR code holds, opened in the wallet's one tab (only when the issuer knows the wallet's URL: without
          // WALLET_URL the code is the bare JWS, which is no link).
          <a className="button secondary small" href={qr.link} target={WALLET_TAB}>
            {e.workplace.openInWallet}
          </a>
        ) : null}
        <button type="button" className="button secondary small" onClick={fullScreen}>
          {e.workplace.fullScreen}
        </button>
        <a className="button secondary small" href={hashOf({ name: 'list' })}>
          {e.workplace.back}
        </a>
      </p>
    </section>
  );
}
