import type { Vault } from '@citycred/wallet-core';
import { useMessages } from '@citycred/web-ui';
import type { ReactNode } from 'react';
import { TEXTS } from '../texts.js';
import { ConfirmButton } from './ConfirmButton.js';

/** The wipe button, which asks once more before the vault deletes everything. */
export function ConfirmWipe({ vault, onWiped }: { vault: Vault; onWiped: () => void }): ReactNode {
  const t = useMessages(TEXTS);
  return <ConfirmButton label={t.wipe} question={t.wipeConfirm} questionId="wipe-question" confirmLabel={t.wipeYes} onConfirm={() => vault.wipe().then(onWiped)} />;
}
