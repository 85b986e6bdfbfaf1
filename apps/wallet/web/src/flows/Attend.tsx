import { contractsForQr, LaborWalletError, LaborWalletErrorCode, parseWorkplaceQr, recordAttendance, refreshContract, type HolderKey, type LaborContractRecord, type Vault, type WorkplaceQr } from '@citycred/wallet-core';
import { fill, useLanguage, useMessages } from '@citycred/web-ui';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { TEXTS } from '../texts.js';
import { LABOR_TEXTS } from './labor-texts.js';
import { clockText, laborErrorText } from './labor.js';
import { BROWSER_TRANSPORT } from './protocol.js';
import { ScanOrPaste } from './ScanOrPaste.js';

type Stage =
  | { readonly name: 'scan' }
  | { readonly name: 'choose'; readonly qr: WorkplaceQr; readonly contracts: readonly LaborContractRecord[] }
  | { readonly name: 'done'; readonly kind: 'check-in' | 'check-out' | 'correction'; readonly at: string; readonly recordId: string };

/**
 * Checking in or out (`#attend?qr=<workplace JWS>`, or the workplace QR scanned or pasted here or on the receive
 * screen): the remembered active contracts whose employer signed the QR (a choice when there are several; contracts
 * still waiting for the employer are read again first), then the next event after the wallet's own copies — check-in
 * after a check-out or none, else check-out —, signed with the holder key and sent with the QR; the co-signed event
 * comes back and is kept in the vault. Every refusal of the service is told by its code (an expired QR, a nonce used
 * before…).
 */
export function Attend({ vault, holder, qr, onOpenRecords, onCancel }: { vault: Vault; holder: HolderKey | undefined; qr: string | undefined; onOpenRecords?: (recordId: string) => void; onCancel: () => void }): ReactNode {
  const t = useMessages(TEXTS);
  const l = useMessages(LABOR_TEXTS);
  const { lang } = useLanguage();
  const [stage, setStage] = useState<Stage>({ name: 'scan' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const read = useRef(false);

  useEffect(() => {
    if (qr === undefined || read.current || !holder) return;
    read.current = true;
    void take(qr);
  }, [qr, holder]);

  async function matching(scanned: WorkplaceQr): Promise<LaborContractRecord[]> {
    const records = await vault.laborContracts();
    const found = contractsForQr(records, scanned);
    if (found.length > 0) return found;
    // A contract the employer countersigned since the wallet last looked is still "awaiting-employer" here.
    const waiting = records.filter((record) => record.employer.did === scanned.payload.iss && record.state === 'awaiting-employer');
    for (const record of waiting) {
      try {
        await vault.saveLaborContract((await refreshContract(record, BROWSER_TRANSPORT)).record);
      } catch {
        // Unreachable: the contract stays as it was.
      }
    }
    return contractsForQr(await vault.laborContracts(), scanned);
  }

  async function take(text: string): Promise<void> {
    setBusy(true);
    setError('');
    try {
      const scanned = parseWorkplaceQr(text);
      const contracts = await matching(scanned);
      if (contracts.length === 0) throw new LaborWalletError(LaborWalletErrorCode.NoMatchingContract, 'no active contract with this employer');
      if (contracts.length > 1) setStage({ name: 'choose', qr: scanned, contracts });
      else await record(contracts[0]!, scanned);
    } catch (caught) {
      setError(laborErrorText(caught, lang, t));
    } finally {
      setBusy(false);
    }
  }

  async function record(contract: LaborContractRecord, scanned: WorkplaceQr): Promise<void> {
    if (!holder) return;
    setBusy(true);
    setError('');
    try {
      const { record: updated, signed } = await recordAttendance(contract, scanned, holder, BROWSER_TRANSPORT);
      await vault.saveLaborContract(updated);
      setStage({ name: 'done', kind: signed.event.kind, at: signed.event.at, recordId: updated.id });
    } catch (caught) {
      setError(laborErrorText(caught, lang, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="attend-title" id="attend">
      <button type="button" className="link" onClick={onCancel}>
        ← {t.back}
      </button>
      <h1 id="attend-title">{l.attendTitle}</h1>
      {busy && <p role="status">{l.attendChecking}</p>}
      {stage.name === 'scan' && (
        <>
          <p className="hint">{l.attendHint}</p>
          <ScanOrPaste id="attend" busy={busy} onText={(text) => void take(text)} />
        </>
      )}
      {stage.name === 'choose' && (
        <div className="panel" id="attend-choose">
          <p>{l.chooseContract}</p>
          {stage.contracts.map((contract) => (
            <button type="button" key={contract.id} className="secondary full" disabled={busy} onClick={() => void record(contract, stage.qr)}>
              {String(contract.document['duties'] ?? contract.contractId)} · {String((contract.document['period'] as { start?: string } | undefined)?.start ?? '')} (v{contract.version})
            </button>
          ))}
        </div>
      )}
      {stage.name === 'done' && (
        <div className="panel" id="attend-done" data-kind={stage.kind}>
          <p role="status" className="success">
            {fill(stage.kind === 'check-out' ? l.checkedOut : l.checkedIn, { time: clockText(stage.at, lang) })}
          </p>
          <p className="hint">{l.cosigned}</p>
          {onOpenRecords && (
            <button type="button" className="secondary full" id="attend-records" onClick={() => onOpenRecords(stage.recordId)}>
              {l.laborTitle}
            </button>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="error" id="attend-error">
          {error}
        </p>
      )}
    </section>
  );
}
