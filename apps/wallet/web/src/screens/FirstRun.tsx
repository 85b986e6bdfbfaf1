import { PIN_PATTERN, type Vault } from '@citycred/wallet-core';
import { useMessages } from '@citycred/web-ui';
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorText } from '../errors.js';
import { TEXTS } from '../texts.js';

/** First run: what the wallet is, then the PIN entered twice; the vault makes the holder key and opens. */
export function FirstRun({ vault, onDone }: { vault: Vault; onDone: () => Promise<void> }): ReactNode {
  const t = useMessages(TEXTS);
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!PIN_PATTERN.test(pin)) return setError(t.pinInvalid);
    if (pin !== repeat) {
      setRepeat('');
      return setError(t.pinsDiffer);
    }
    setBusy(true);
    setError('');
    try {
      await vault.setUp(pin);
      await onDone();
    } catch (caught) {
      setError(errorText(caught, t));
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="welcome-title">
      <h1 id="welcome-title">{t.welcomeTitle}</h1>
      <p>{t.welcomeText}</p>
      <form className="panel" onSubmit={(event) => void submit(event)} noValidate>
        <h2>{t.setPinTitle}</h2>
        <p className="hint" id="pin-hint">
          {t.setPinHint}
        </p>
        <label htmlFor="new-pin">{t.newPin}</label>
        <input id="new-pin" className="pin-input" type="password" inputMode="numeric" autoComplete="off" maxLength={12} aria-describedby="pin-hint" value={pin} onChange={(event) => setPin(event.target.value.replace(/\D/g, ''))} />
        <label htmlFor="repeat-pin">{t.repeatPin}</label>
        <input id="repeat-pin" className="pin-input" type="password" inputMode="numeric" autoComplete="off" maxLength={12} value={repeat} onChange={(event) => setRepeat(event.target.value.replace(/\D/g, ''))} />
        <p role="alert" className="error" hidden={!error}>
          {error}
        </p>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t.creating : t.createWallet}
        </button>
      </form>
    </section>
  );
}
