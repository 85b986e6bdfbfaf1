import type { Vault } from '@citycred/wallet-core';
import { useMessages } from '@citycred/web-ui';
import { useState, type ReactNode } from 'react';
import { TEXTS } from '../texts.js';

/** The wipe button, which asks once more before the vault deletes everything. */
export function ConfirmWipe({ vault, onWiped }: { vault: Vault; onWiped: () => void }): ReactNode {
  const t = useMessages(TEXTS);
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        {t.wipe}
      </button>
    );
  }
  return (
    <div className="confirm" role="alertdialog" aria-labelledby="wipe-question">
      <p id="wipe-question">{t.wipeConfirm}</p>
      <div className="confirm-actions">
        <button
          type="button"
          className="danger"
          onClick={() => {
            void vault.wipe().then(onWiped);
          }}
        >
          {t.wipeYes}
        </button>
        <button type="button" className="secondary" autoFocus onClick={() => setAsking(false)}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}
