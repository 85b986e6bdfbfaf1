import { WALLET_TAB } from '@citycred/web-ui';
import { useEffect, useRef, type ReactNode } from 'react';
import { QrCode } from './QrCode.js';

/** A request the API created for the citizen's wallet: the link in its QR code and the same-device wallet link. */
export interface WalletRequestLinks {
  requestLink: string;
  walletLink: string;
}

/** The texts of {@link WalletRequestPanel}. */
export interface WalletRequestTexts {
  scanWithWallet: string;
  qrLabel: string;
  openWallet: string;
  waiting: string;
}

/**
 * The request waiting for the citizen's wallet: its QR code, a link opening the wallet on this device (in the wallet's
 * tab) and a status line. The ids are `{idPrefix}-waiting`, `{idPrefix}-qr` and `{idPrefix}-wallet-link`.
 */
export function WalletRequestPanel({ idPrefix, links, t }: { idPrefix: string; links: WalletRequestLinks; t: WalletRequestTexts }): ReactNode {
  return (
    <div className="panel" id={`${idPrefix}-waiting`}>
      <h2>{t.scanWithWallet}</h2>
      <QrCode id={`${idPrefix}-qr`} text={links.requestLink} label={t.qrLabel} />
      <div className="actions">
        <a id={`${idPrefix}-wallet-link`} href={links.walletLink} target={WALLET_TAB}>
          {t.openWallet}
        </a>
      </div>
      <p role="status">{t.waiting}</p>
    </div>
  );
}

/** How often a waiting request's state is asked for. */
const POLL_MS = 1500;

/**
 * Asks `url` for a waiting request's state every {@link POLL_MS} ms while `url` is not null, giving each 200 answer's
 * JSON to `settled`, until it answers true (the request has an outcome) or the page stops waiting. Other answers and
 * network failures are asked again (the network comes back).
 */
export function usePollRequest<T>(url: string | null, settled: (status: T) => boolean, init?: RequestInit): void {
  const latest = useRef({ settled, init });
  latest.current = { settled, init };
  useEffect(() => {
    if (url === null) return;
    let stopped = false;
    const poll = async () => {
      while (!stopped) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (stopped) return;
        try {
          const res = await fetch(url, latest.current.init);
          if (res.status !== 200) continue;
          if (latest.current.settled((await res.json()) as T)) return;
        } catch {
          // The network comes back; keep polling.
        }
      }
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [url]);
}
