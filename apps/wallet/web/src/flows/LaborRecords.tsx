import { attendanceEventHash, type AttendanceChainCheck, type AttendanceEvent } from '@citycred/labor';
import {
  attendanceExport,
  checkEmployerSignatures,
  checkWalletChain,
  refreshContract,
  signCorrection,
  syncAttendance,
  timesheetOf,
  type ContractReview,
  type EmployerSignatureReading,
  type HolderKey,
  type LaborContractRecord,
  type PendingCorrection,
  type Vault,
} from '@citycred/wallet-core';
import { fill, useLanguage, useMessages } from '@citycred/web-ui';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { formatDate, formatMoment } from '../format.js';
import { TEXTS } from '../texts.js';
import { WaitingOffers } from './Contract.js';
import { BROWSER_ISSUER_SIGNATURE } from './issuer-signature.js';
import { LABOR_TEXTS, type LaborTexts } from './labor-texts.js';
import { clockText, laborErrorText, wonText } from './labor.js';
import { BROWSER_TRANSPORT } from './protocol.js';

/**
 * A labour contract's work records in the wallet (on its LaborContract card): the timesheet from the wallet's own
 * co-signed copies (shifts per day, total hours, each month's pay estimate with the contract's wage), the chain
 * checked with `checkAttendanceChain` over those copies ("기록 확인됨"), the employer's signatures on the contract and
 * every event checked against its did:ethr key as the city verifier resolves it ("고용주 서명 확인됨", or "not
 * checked yet" when the resolver cannot be reached), the corrections the employer proposed (old and
 * new time, reason; signing one sends a correction event), the offers waiting at the contract's review, and the
 * export of the raw co-signed events. The copies are brought up to date from the service when it answers; what the
 * wallet holds is shown when it does not.
 */
export function LaborRecords({ vault, holder, recordId, onReceive }: { vault: Vault; holder: HolderKey | undefined; recordId: string; onReceive: (links: readonly string[], recordId: string) => void }): ReactNode {
  const t = useMessages(TEXTS);
  const l = useMessages(LABOR_TEXTS);
  const { lang } = useLanguage();
  const [record, setRecord] = useState<LaborContractRecord>();
  const [chain, setChain] = useState<AttendanceChainCheck>();
  const [employer, setEmployer] = useState<EmployerSignatureReading>();
  const [corrections, setCorrections] = useState<readonly PendingCorrection[]>([]);
  const [offers, setOffers] = useState<ContractReview['offers']>([]);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const show = useCallback(
    async (current: LaborContractRecord) => {
      setRecord(current);
      setChain(await checkWalletChain(current, holder));
      setEmployer(await checkEmployerSignatures(current, BROWSER_ISSUER_SIGNATURE));
    },
    [holder],
  );

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const held = await vault.laborContract(recordId);
        if (!held || cancelled) return;
        await show(held);
        try {
          const refreshed = await refreshContract(held, BROWSER_TRANSPORT);
          const synced = await syncAttendance(refreshed.record, BROWSER_TRANSPORT);
          await vault.saveLaborContract(synced.record);
          if (cancelled) return;
          setOffers(refreshed.offers);
          setCorrections(synced.pendingCorrections);
          await show(synced.record);
        } catch (caught) {
          if (!cancelled) setNotice(`${l.syncFailed} ${laborErrorText(caught, lang, t)}`);
        }
      } catch (caught) {
        if (!cancelled) setError(laborErrorText(caught, lang, t));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [vault, recordId, show, l.syncFailed, lang, t]);

  async function sign(correction: PendingCorrection): Promise<void> {
    if (!record || !holder) return;
    setBusy(true);
    setError('');
    try {
      const { record: updated } = await signCorrection(record, correction, holder, BROWSER_TRANSPORT);
      await vault.saveLaborContract(updated);
      setCorrections((list) => list.filter((c) => c !== correction));
      setNotice(l.correctionSigned);
      await show(updated);
    } catch (caught) {
      setError(laborErrorText(caught, lang, t));
    } finally {
      setBusy(false);
    }
  }

  function download(): void {
    if (!record) return;
    const url = URL.createObjectURL(new Blob([attendanceExport(record, new Date())], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `citycred-attendance-${record.contractId}-v${record.version}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  if (!record) {
    return error ? (
      <p role="alert" className="error">
        {error}
      </p>
    ) : null;
  }
  const sheet = timesheetOf(record);
  const byHash = new Map(record.events.map((signed) => [attendanceEventHash(signed.event as AttendanceEvent), signed.event] as const));
  const failed = chain?.checks.filter((check) => !check.passed) ?? [];
  return (
    <section aria-labelledby="labor-title" id="labor-records" data-record={record.id}>
      <h2 id="labor-title">{l.laborTitle}</h2>
      <p id="labor-state">
        {l.state}: {l.states[record.state] ?? record.state}
      </p>
      {offers.length > 0 && <WaitingOffers offers={offers} lang={lang} l={l} onReceive={() => onReceive(offers.map((offer) => offer.link), record.id)} />}
      {chain && (
        <p className={chain.valid ? 'success' : 'error'} id="labor-chain" data-valid={String(chain.valid)}>
          {chain.valid ? (
            <>
              <strong>{l.chainVerified}</strong> — {fill(l.chainVerifiedDetail, { count: String(record.events.length) })}
            </>
          ) : (
            fill(l.chainBroken, { checks: failed.map((check) => `${check.id}${check.reason ? ` (${check.reason})` : ''}`).join('; ') })
          )}
        </p>
      )}
      {employer && <EmployerSignature reading={employer} l={l} />}
      <h3>{l.timesheet}</h3>
      {sheet.checkedIn && <p className="notice">{l.nowCheckedIn}</p>}
      {sheet.days.length === 0 ? (
        <p className="hint">{l.noShifts}</p>
      ) : (
        <dl className="claims" id="labor-timesheet" data-total-minutes={sheet.totalMinutes}>
          {sheet.days.map((day) => (
            <div key={day.day} className="claim" data-day={day.day}>
              <dt>{formatDate(new Date(`${day.day}T12:00:00+09:00`), lang)}</dt>
              <dd>{day.shifts.map((shift) => fill(l.shift, { start: clockText(shift.start, lang), end: clockText(shift.end, lang), minutes: String(shift.minutes) })).join(', ')}</dd>
            </div>
          ))}
        </dl>
      )}
      <p id="labor-total">{fill(l.total, { hours: String(Math.floor(sheet.totalMinutes / 60)), minutes: String(sheet.totalMinutes % 60) })}</p>
      <ul id="labor-months">
        {sheet.months.map((month) => (
          <li key={month.month} data-month={month.month}>
            {fill(l.month, { month: month.month, hours: String(Math.round((month.minutes / 60) * 100) / 100), amount: wonText(month.payEstimateKrw) })}
          </li>
        ))}
      </ul>
      <p className="hint">{l.payNote}</p>
      {corrections.length > 0 && (
        <div className="panel" id="labor-corrections">
          <h3>{l.corrections}</h3>
          <ul>
            {corrections.map((correction) => {
              const old = byHash.get(correction.eventHash);
              return (
                <li key={correction.id ?? correction.eventHash}>
                  <p>{fill(l.correction, { old: old ? formatMoment(new Date(old.at), lang) : '?', new: formatMoment(new Date(correction.at), lang), reason: correction.reason })}</p>
                  <button type="button" className="primary" disabled={busy || !holder} onClick={() => void sign(correction)}>
                    {l.signCorrection}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <div className="panel">
        <h3>{l.exportTitle}</h3>
        <p className="hint">{l.exportHint}</p>
        <button type="button" className="secondary full" id="labor-export" onClick={download}>
          {l.exportButton}
        </button>
      </div>
      {notice && (
        <p role="status" className="notice" id="labor-notice">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="error" id="labor-error">
          {error}
        </p>
      )}
    </section>
  );
}

/** "고용주 서명 확인됨", which of the employer's signatures do not check, or that they could not be checked now. */
function EmployerSignature({ reading, l }: { reading: EmployerSignatureReading; l: LaborTexts }): ReactNode {
  if (reading.state === 'verified' && reading.count === 0) return null;
  if (reading.state === 'verified') {
    return (
      <p className="success" id="labor-employer-signature" data-state="verified">
        <strong>{l.employerSignatureVerified}</strong> — {fill(l.employerSignatureVerifiedDetail, { count: String(reading.count) })}
      </p>
    );
  }
  if (reading.state === 'invalid') {
    const which = reading.failed.map((signed) => (signed.kind === 'contract' ? l.signedContract : fill(l.signedEvent, { seq: String(signed.seq + 1) }))).join(', ');
    return (
      <p className="error" id="labor-employer-signature" data-state="invalid">
        {fill(l.employerSignatureInvalid, { which })}
      </p>
    );
  }
  return (
    <p className="card-warning" id="labor-employer-signature" data-state="unchecked" data-reason={reading.reason}>
      <strong>{l.employerSignatureUnchecked}</strong> — {reading.reason === 'unavailable' ? l.employerSignatureUncheckedNow : l.employerSignatureUncheckable}
    </p>
  );
}
