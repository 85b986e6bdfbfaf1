import { useMessages } from '@citycred/web-ui';
import { useState, type ReactNode } from 'react';
import { TEXTS } from '../texts.js';

/**
 * A button for something that cannot be undone (delete a card, clear the history, wipe the wallet): pressed, it asks
 * once more in place — the question, the action in red and "cancel" focused — and only the second press acts.
 * @param questionId - the question's element id, which names the confirmation for screen readers
 * @param buttonId - an id for the first button, when the page needs one
 */
export function ConfirmButton({
  label,
  question,
  questionId,
  confirmLabel,
  onConfirm,
  buttonId,
}: {
  label: string;
  question: string;
  questionId: string;
  confirmLabel: string;
  onConfirm: () => unknown;
  buttonId?: string;
}): ReactNode {
  const t = useMessages(TEXTS);
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger" id={buttonId} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <div className="confirm" role="alertdialog" aria-labelledby={questionId}>
      <p id={questionId}>{question}</p>
      <div className="confirm-actions">
        <button type="button" className="danger" onClick={() => void onConfirm()}>
          {confirmLabel}
        </button>
        <button type="button" className="secondary" autoFocus onClick={() => setAsking(false)}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}
