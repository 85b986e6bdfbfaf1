import { MAX_PIN_LENGTH, WalletError, WalletErrorCode, type PasscodeKind, type PinThrottle, type Vault } from '@citycred/wallet-core';
import { fill, useMessages } from '@citycred/web-ui';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { errorText } from '../errors.js';
import { secondsUntil } from '../format.js';
import { TEXTS } from '../texts.js';
import { ConfirmWipe } from './ConfirmWipe.js';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

/**
 * The lock screen: the PIN typed or tapped on the keypad (each key named for screen readers) — or, for a passcode with
 * letters, typed in a text field —, the wrong-PIN message, and after five wrong PINs in a row the wait, counted down,
 * during which no PIN is tried. The wait is the vault's, kept in storage, so a reload does not end it. Whatever fails
 * (storage, a damaged record), the screen says so and stays usable.
 */
export function Unlock({ vault, onOpened, onWiped }: { vault: Vault; onOpened: () => Promise<void>; onWiped: () => void }): ReactNode {
  const t = useMessages(TEXTS);
  const [pin, setPin] = useState('');
  // Unknown until the vault says: the form waits for it, so a passcode's text field never starts as the keypad.
  const [kind, setKind] = useState<PasscodeKind | undefined>(undefined);
  const [error, setError] = useState('');
  const [throttle, setThrottle] = useState<PinThrottle>({ failures: 0 });
  const [now, setNow] = useState(() => new Date());
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const retryAt = throttle.retryAt;

  useEffect(() => {
    let cancelled = false;
    Promise.all([vault.throttle(), vault.passcodeKind()])
      .then(([stored, passcode]) => {
        if (cancelled) return;
        setThrottle(stored);
        setKind(passcode);
      })
      .catch((caught: unknown) => {
        if (cancelled) return;
        setError(errorText(caught, t));
        // A text field takes digits too: the wallet can still be opened.
        setKind('text');
      });
    return () => {
      cancelled = true;
    };
  }, [vault, t]);

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
        const stored = await vault.throttle().catch(() => undefined);
        const failures = stored?.failures ?? throttle.failures + (caught.code === WalletErrorCode.WrongPin ? 1 : 0);
        setThrottle({ failures, ...(caught.retryAt ? { retryAt: caught.retryAt } : {}), ...(stored?.recordLost ? { recordLost: true } : {}) });
        setError(caught.code === WalletErrorCode.WrongPin && !caught.retryAt ? fill(t.wrongPin, { count: failures }) : '');
      } else {
        setError(errorText(caught, t));
      }
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  }

  const waitText = waiting ? fill(throttle.recordLost ? t.throttleRecordLost : throttle.failures > 0 ? t.wrongPinWait : t.throttled, { count: throttle.failures, seconds: secondsUntil(retryAt, now) }) : '';
  const digits = kind === 'digits';
  const maxLength = MAX_PIN_LENGTH;

  return (
    <section aria-labelledby="unlock-title">
      <h1 id="unlock-title">{t.unlockTitle}</h1>
      {kind === undefined ? null : (
        <form className="panel" onSubmit={(event) => void submit(event)} noValidate>
          <label htmlFor="pin">{t.pin}</label>
          <input
            id="pin"
            ref={input}
            className="pin-input"
            type="password"
            inputMode={digits ? 'numeric' : 'text'}
            autoComplete="current-password"
            maxLength={maxLength}
            autoFocus
            value={pin}
            disabled={waiting}
            aria-describedby="unlock-message"
            onChange={(event) => setPin(digits ? event.target.value.replace(/\D/g, '') : event.target.value)}
          />
          {digits && (
            <div className="keypad" role="group" aria-label={t.pinPad}>
              {DIGITS.map((digit) => (
                <button key={digit} type="button" aria-label={fill(t.digit, { digit })} disabled={waiting || pin.length >= maxLength} onClick={() => setPin((current) => `${current}${digit}`.slice(0, maxLength))}>
                  {digit}
                </button>
              ))}
              <button type="button" aria-label={t.backspace} disabled={pin.length === 0} onClick={() => setPin((current) => current.slice(0, -1))}>
                ⌫
              </button>
            </div>
        )}
        <p id="unlock-message" role="alert" className="error" hidden={!error && !waitText}>
          {waitText || error}
        </p>
        <button type="submit" className="primary" disabled={busy || waiting || pin.length === 0}>
          {busy ? t.unlocking : t.unlock}
        </button>
      </form>
      )}
      <details className="panel">
        <summary>{t.forgotPin}</summary>
        <p>{t.forgotPinText}</p>
        <ConfirmWipe vault={vault} onWiped={onWiped} />
      </details>
    </section>
  );
}
