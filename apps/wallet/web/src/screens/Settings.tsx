import { AUTO_LOCK_CHOICES_MS, type HolderKey, type ImportMode, type Vault } from '@citycred/wallet-core';
import { fill, LanguageSwitch, useMessages } from '@citycred/web-ui';
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorText } from '../errors.js';
import { TEXTS, type Texts } from '../texts.js';
import { ConfirmWipe } from './ConfirmWipe.js';

/** Settings: auto-lock time, language, encrypted backup export and import, and the wipe. */
export function Settings({ vault, holder, onWiped }: { vault: Vault; holder: HolderKey | undefined; onWiped: () => void }): ReactNode {
  const t = useMessages(TEXTS);
  const [autoLock, setAutoLock] = useState(vault.autoLockMs());

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t.settings}</h1>
      <div className="panel">
        <button type="button" className="secondary" onClick={() => vault.lock()}>
          {t.lockNow}
        </button>
      </div>
      <div className="panel">
        <label htmlFor="auto-lock">{t.autoLock}</label>
        <select
          id="auto-lock"
          aria-describedby="auto-lock-hint"
          value={autoLock}
          onChange={(event) => {
            const ms = Number(event.target.value);
            void vault.setAutoLockMs(ms).then(() => setAutoLock(ms));
          }}
        >
          {AUTO_LOCK_CHOICES_MS.map((ms) => (
            <option key={ms} value={ms}>
              {ms === 3600_000 ? t.hour : fill(t.minutes, { n: ms / 60_000 })}
            </option>
          ))}
        </select>
        <p id="auto-lock-hint" className="hint">
          {t.autoLockHint}
        </p>
      </div>
      <div className="panel">
        <h2 id="language-title">{t.language}</h2>
        <LanguageSwitch id="settings-language" className="secondary" />
      </div>
      <ExportBackup vault={vault} t={t} />
      <ImportBackup vault={vault} t={t} />
      <div className="panel">
        <h2>{t.wipeTitle}</h2>
        <p className="hint">{t.wipeHint}</p>
        <ConfirmWipe vault={vault} onWiped={onWiped} />
      </div>
      {holder && (
        <p className="hint">
          {t.holderDid}: <span className="did">{holder.did}</span>
        </p>
      )}
    </section>
  );
}

function ExportBackup({ vault, t }: { vault: Vault; t: Texts }): ReactNode {
  const [passphrase, setPassphrase] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    try {
      const file = await vault.exportBackup(passphrase);
      const url = URL.createObjectURL(new Blob([file], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `citycred-wallet-backup-${new Date().toISOString().slice(0, 10)}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setPassphrase('');
      setMessage({ ok: true, text: t.exported });
    } catch (caught) {
      setMessage({ ok: false, text: errorText(caught, t) });
    }
    setBusy(false);
  }

  return (
    <form className="panel" onSubmit={(event) => void submit(event)} noValidate>
      <h2>{t.backupTitle}</h2>
      <p className="hint">{t.backupHint}</p>
      <label htmlFor="export-passphrase">{t.backupPassphrase}</label>
      <input id="export-passphrase" type="password" autoComplete="new-password" value={passphrase} onChange={(event) => setPassphrase(event.target.value)} />
      <p role="status" className={message?.ok ? 'success' : 'error'} hidden={!message}>
        {message?.text}
      </p>
      <button type="submit" className="primary" disabled={busy}>
        {t.exportBackup}
      </button>
    </form>
  );
}

function ImportBackup({ vault, t }: { vault: Vault; t: Texts }): ReactNode {
  const [file, setFile] = useState<File>();
  const [passphrase, setPassphrase] = useState('');
  const [mode, setMode] = useState<ImportMode>('merge');
  // Counts the answers, so that the same message twice in a row is still a new answer (for assistive technology too).
  const [message, setMessage] = useState<{ ok: boolean; text: string; answer: number }>();
  const answer = (ok: boolean, text: string) => setMessage((previous) => ({ ok, text, answer: (previous?.answer ?? 0) + 1 }));
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!file) return answer(false, t.chooseFile);
    setBusy(true);
    try {
      const outcome = await vault.importBackup(await file.text(), passphrase, mode);
      setPassphrase('');
      answer(true, outcome.laborContracts > 0 ? `${fill(t.imported, { ...outcome })} ${fill(t.importedLabor, { ...outcome })}` : fill(t.imported, { ...outcome }));
    } catch (caught) {
      answer(false, errorText(caught, t));
    }
    setBusy(false);
  }

  return (
    <form className="panel" onSubmit={(event) => void submit(event)} noValidate>
      <h2>{t.importTitle}</h2>
      <label htmlFor="import-file">{t.backupFile}</label>
      <input id="import-file" type="file" accept="application/json,.json" onChange={(event) => setFile(event.target.files?.[0])} />
      <label htmlFor="import-passphrase">{t.backupPassphrase}</label>
      <input id="import-passphrase" type="password" autoComplete="off" value={passphrase} onChange={(event) => setPassphrase(event.target.value)} />
      <fieldset>
        <legend>{t.importMode}</legend>
        <label className="choice">
          <input type="radio" name="import-mode" value="merge" checked={mode === 'merge'} onChange={() => setMode('merge')} />
          {t.merge}
        </label>
        <label className="choice">
          <input type="radio" name="import-mode" value="replace" checked={mode === 'replace'} onChange={() => setMode('replace')} />
          {t.replace}
        </label>
      </fieldset>
      <p role="status" className={message?.ok ? 'success' : 'error'} hidden={!message} data-answer={message?.answer ?? 0}>
        {message?.text}
      </p>
      <button type="submit" className="primary" disabled={busy}>
        {t.importBackup}
      </button>
    </form>
  );
}
