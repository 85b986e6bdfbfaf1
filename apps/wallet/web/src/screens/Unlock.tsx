import { WalletError, WalletErrorCode, type Vault } from '@citycred/wallet-core';
import { fill, useMessages } from '@citycred/web-ui';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { errorText } from '../errors.js';
import { secondsUntil } from '../format.js';
import { TEXTS } from '../texts.js';
import { ConfirmWipe } from './ConfirmWipe.js';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

/**
 * The lock screen: the PIN typed or tapped on the keypad (each key named for screen readers), the wrong-PIN message,
 * and after five wrong PINs in a row the wait, counted down, during which no PIN is tried. The wait is the vault's,
 * kept in storage, so a reload does not end it.
 */
export function Unlock({ vault, onOpened, onWiped }: { vault: Vault; onOpened: () => Promise<void>; onWiped: () => void }): ReactNode {
  const t = useMessages(TEXTS);
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const [failures, setFailures] = useState(0);
  const [retryAt, setRetryAt] = useState<Date>();
  const [now, setNow] = useState(() => new Date());
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void vault.throttle().then((throttle) => {
      setFailures(throttle.failures);
      setRetryAt(throttle.retryAt);
    });
  }, [vault]);

  useEffect(() => {
    if (!retryAt || secondsUntil(retryAt) === 0) return;
    // Counts the wait down each second, and stops once it is over.
    const timer = setInterval(() => {
      const current = new Date();
      setNow(current);
      if (secondsUntil(retryAt, current) === 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [retryAt]);

  const waiting = retryAt !== undefined && secondsUntil(retryAt, now) > 0;

  async function submit(event?: FormEvent): Promise<void> {
    event?.preventDefault();
    if (busy || waiting || pin.length === 0) return;
    setBusy(true);
    try {
      await vault.unlock(pin);
      await onOpened();
    } catch (caught) {
      setPin('');
      setNow(new Date());
      if (caught instanceof WalletError && (caught.code === WalletErrorCode.WrongPin || caught.code === WalletErrorCode.Throttled)) {
        const throttle = await vault.throttle();
        setFailures(throttle.failures);
        setRetryAt(caught.retryAt);
        setError(caught.code === WalletErrorCode.WrongPin ? (caught.retryAt ? '' : fill(t.wrongPin, { count: throttle.failures })) : '');
      } else {
        setError(errorText(caught, t));
      }
      setBusy(false);
      input.current?.focus();
    }
  }

  const waitText = waiting ? fill(failures > 0 ? t.wrongPinWait : t.throttled, { count: failures, seconds: secondsUntil(retryAt, now) }) : '';

  return (
    <section aria-labelledby="unlock-title">
      <h1 id="unlock-title">{t.unlockTitle}</h1>
      <form className="panel" onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor="pin">{t.pin}</label>
        <input
          id="pin"
          ref={input}
          className="pin-input"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          autoFocus
          value={pin}
          disabled={waiting}
          aria-describedby="unlock-message"
          onChange={(event) => setPin(event.target.value.replace(/\D/g, ''))}
        />
        <div className="keypad" role="group" aria-label={t.pinPad}>
          {DIGITS.map((digit) => (
            <button key={digit} type="button" aria-label={fill(t.digit, { digit })} disabled={waiting || pin.length >= 12} onClick={() => setPin((current) => `${current}${digit}`.slice(0, 12))}>
              {digit}
            </button>
          ))}
          <button type="button" aria-label={t.backspace} disabled={pin.length === 0} onClick={() => setPin((current) => current.slice(0, -1))}>
            ⌫
          </button>
        </div>
        <p id="unlock-message" role="alert" className="error" hidden={!error && !waitText}>
          {waitText || error}
        </p>
        <button type="submit" className="primary" disabled={busy || waiting || pin.length === 0}>
          {busy ? t.unlocking : t.unlock}
        </button>
      </form>
      <details className="panel">
        <summary>{t.forgotPin}</summary>
        <p>{t.forgotPinText}</p>
        <ConfirmWipe vault={vault} onWiped={onWiped} />
      </details>
    </section>
  );
}
