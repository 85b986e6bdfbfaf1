import { useId, useState, type FormEvent } from 'react';
import { attendanceEventHash, type Shift } from '@citycred/labor';
import { useI18n } from '../../i18n.js';
import { DataTable, ErrorBanner, Hash, isSignedOut, Loading, useLoad, useSession } from '../../ui.js';
import { laborApi, type AttendanceView, type ContractView } from '../api.js';
import { hoursAndMinutes, isoToKstLocal, kstLocalToIso, won } from '../terms.js';
import { useEmployerTexts } from '../texts.js';

/** The chain head as the attendance view gives it (a hash, or `{seq, hash}`). */
function headHash(head: AttendanceView['head']): string | null {
  if (!head) return null;
  return typeof head === 'string' ? head : head.hash;
}

/** Proposing a correction of a check-in or -out: a new event the worker signs in the wallet, never an edit. */
function CorrectionForm({ contract, attendance, onDone }: { contract: ContractView; attendance: AttendanceView; onDone(): void }) {
  const { e } = useEmployerTexts();
  const { dateTime } = useI18n();
  const { signedOut } = useSession();
  const id = useId();
  const correctable = attendance.events.filter((s) => s.event.kind !== 'correction');
  const [eventHash, setEventHash] = useState('');
  const [at, setAt] = useState('');
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  if (correctable.length === 0) return null;

  const choose = (hash: string) => {
    setEventHash(hash);
    const chosen = correctable.find((s) => attendanceEventHash(s.event) === hash);
    if (chosen) setAt(isoToKstLocal(chosen.event.at));
  };
  const iso = kstLocalToIso(at);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    setDone(false);
    if (!eventHash || !iso || !reason.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      await laborApi.correct(contract.id, { eventHash, at: iso, reason: reason.trim() });
      setDone(true);
      setReason('');
      onDone();
    } catch (caught) {
      if (isSignedOut(caught)) return signedOut();
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const missing = (empty: boolean) => (tried && empty ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-required` } : {});
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{e.timesheet.correction}</h3>
      <p className="field-hint">{e.timesheet.correctionIntro}</p>
      <p className="visually-hidden" id={`${id}-required`}>
        {e.timesheet.required}
      </p>
      <ErrorBanner error={error} />
      <div className="field">
        <label htmlFor={`${id}-event`}>{e.timesheet.event}</label>
        <select id={`${id}-event`} value={eventHash} onChange={(ev) => choose(ev.target.value)} {...missing(!eventHash)}>
          <option value="">{e.form.choose}</option>
          {correctable.map((s) => {
            const hash = attendanceEventHash(s.event);
            return (
              <option key={hash} value={hash}>
                {`#${s.event.seq} ${e.timesheet.eventOption(e.timesheet.kinds[s.event.kind] ?? s.event.kind, dateTime(s.event.at))}`}
              </option>
            );
          })}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-at`}>{e.timesheet.newTime}</label>
        <input id={`${id}-at`} type="datetime-local" value={at} onChange={(ev) => setAt(ev.target.value)} {...missing(!iso)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{e.timesheet.reason}</label>
        <input id={`${id}-reason`} value={reason} maxLength={300} onChange={(ev) => setReason(ev.target.value)} {...missing(!reason.trim())} />
      </div>
      {tried && (!eventHash || !iso || !reason.trim()) ? (
        <p className="field-error" role="alert">
          {e.timesheet.required}
        </p>
      ) : null}
      <button type="submit" className="button secondary" disabled={busy}>
        {e.timesheet.propose}
      </button>
      <p role="status">{done ? e.timesheet.proposed : ''}</p>
    </form>
  );
}

/**
 * The contract's attendance: the chain check's verdict (and what failed), the shifts, the totals, each month's hours
 * and pay estimate, corrections awaiting the worker, and the correction form.
 */
export function Timesheet({ contract }: { contract: ContractView }) {
  const { e, lang } = useEmployerTexts();
  const { dateTime } = useI18n();
  const loaded = useLoad(() => laborApi.attendance(contract.id), [contract.id, contract.state]);
  const data = loaded.data;
  const time = (iso: string) => new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { timeStyle: 'short', timeZone: 'Asia/Seoul' }).format(new Date(iso));
  return (
    <section aria-labelledby="timesheet-title">
      <h2 id="timesheet-title">{e.timesheet.title}</h2>
      <ErrorBanner error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <div className={`banner ${data.check.valid ? 'info' : 'error'}`} role={data.check.valid ? 'status' : 'alert'}>
            <span>{data.check.valid ? e.timesheet.chainValid : e.timesheet.chainInvalid}</span>
            {data.check.valid ? null : (
              <ul className="problem-list">
                {data.check.checks
                  .filter((c) => !c.passed)
                  .map((c) => (
                    <li key={c.id}>{e.timesheet.failed(c.id, c.seq, c.reason)}</li>
                  ))}
              </ul>
            )}
          </div>
          <dl className="facts">
            <div className="fact">
              <dt>{e.timesheet.total}</dt>
              <dd>{hoursAndMinutes(data.totalMinutes, lang)}</dd>
            </div>
            <div className="fact">
              <dt>{e.timesheet.head}</dt>
              <dd>
                <Hash value={headHash(data.head)} /> <span className="field-hint">({e.timesheet.events(data.events.length)})</span>
              </dd>
            </div>
          </dl>
          {data.pendingCorrections.length > 0 ? <p className="banner info">{e.timesheet.pending(data.pendingCorrections.length)}</p> : null}
          {data.shifts.length === 0 ? (
            <p>{e.timesheet.noShifts}</p>
          ) : (
            <DataTable<Shift>
              id="shifts"
              caption={e.timesheet.shiftsCaption}
              rows={data.shifts}
              rowKey={(s) => s.start}
              columns={[
                { header: e.timesheet.day, cell: (s) => s.day },
                { header: e.timesheet.checkIn, cell: (s) => time(s.start) },
                { header: e.timesheet.checkOut, cell: (s) => (s.day === s.end.slice(0, 10) ? time(s.end) : dateTime(s.end)) },
                { header: e.timesheet.worked, cell: (s) => hoursAndMinutes(s.minutes, lang) },
              ]}
            />
          )}
          {data.monthly.length > 0 ? (
            <DataTable<AttendanceView['monthly'][number]>
              id="monthly"
              caption={e.timesheet.monthlyCaption}
              rows={data.monthly}
              rowKey={(m) => m.month}
              columns={[
                { header: e.timesheet.month, cell: (m) => m.month },
                { header: e.timesheet.minutes, cell: (m) => hoursAndMinutes(m.minutes, lang) },
                { header: e.timesheet.pay, cell: (m) => won(m.payEstimateKrw, lang) },
              ]}
            />
          ) : null}
          {contract.state === 'active' ? <CorrectionForm contract={contract} attendance={data} onDone={loaded.reload} /> : null}
        </>
      ) : null}
    </section>
  );
}
