import { MAX_PIN_LENGTH, PIN_PATTERN, passcodeStrength, type PasscodeStrength, type Vault } from '@citycred/wallet-core';
import { useMessages } from '@citycred/web-ui';
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorText } from '../errors.js';
import { TEXTS, type Texts } from '../texts.js';

const STRENGTH_TEXT: Record<PasscodeStrength, keyof Texts> = { weak: 'strengthWeak', fair: 'strengthFair', strong: 'strengthStrong' };

/**
 * First run: what the wallet is, then the passcode entered twice — 6 digits at least, or a longer one with letters,
 * with what a copied database means for it and a strength hint; the vault makes the holder key and opens.
 */
export function FirstRun({ vault, onDone }: { vault: Vault; onDone: () => Promise<void> }): ReactNode {
  const t = useMessages(TEXTS);
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const strength = pin.length > 0 ? passcodeStrength(pin).strength : undefined;

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
    } finally {
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
        <p className="hint" id="pin-risk">
          {t.setPinRisk}
        </p>
        <label htmlFor="new-pin">{t.newPin}</label>
        <input id="new-pin" className="pin-input" type="password" autoComplete="new-password" maxLength={MAX_PIN_LENGTH} aria-describedby="pin-hint pin-risk pin-strength" value={pin} onChange={(event) => setPin(event.target.value)} />
        <p className={`hint strength-${strength ?? 'none'}`} id="pin-strength" aria-live="polite">
          {strength ? t[STRENGTH_TEXT[strength]] : ''}
        </p>
        <label htmlFor="repeat-pin">{t.repeatPin}</label>
        <input id="repeat-pin" className="pin-input" type="password" autoComplete="new-password" maxLength={MAX_PIN_LENGTH} value={repeat} onChange={(event) => setRepeat(event.target.value)} />
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
