import { QrSvg } from '@citycred/web-ui';
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../../i18n.js';
import { DataTable, ErrorBanner, Hash, isSignedOut, Loading, useLoad, useSession } from '../../ui.js';
import { useLabor } from '../EmployerApp.js';
import { laborApi, type ContractView, type SocialInsurance } from '../api.js';
import { hashOf } from '../routes.js';
import { hoursAndMinutes, kstToday, won } from '../terms.js';
import { useEmployerTexts } from '../texts.js';
import { FindingList } from './ContractForm.js';
import { StateBadge } from './ContractList.js';
import { Timesheet } from './Timesheet.js';

/** How often the detail asks again while the worker has not signed yet (the signature arrives from the wallet). */
const WAIT_FOR_WORKER_MS = 4000;

const INSURANCES: readonly (keyof SocialInsurance)[] = ['nationalPension', 'healthInsurance', 'employmentInsurance', 'industrialAccident'];

/**
 * Runs one console API action: busy while it runs, its error kept, back to sign-in when the session has ended.
 * @returns the action's runner and state
 */
function useAction(): { busy: boolean; error: unknown; run<T>(action: () => Promise<T>, done: (result: T) => void): Promise<void> } {
  const { signedOut } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async <T,>(action: () => Promise<T>, done: (result: T) => void) => {
    setBusy(true);
    setError(undefined);
    try {
      done(await action());
    } catch (caught) {
      if (isSignedOut(caught)) return signedOut();
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** The worker's QR code and link to the contract's review in the wallet, with a copy button. */
function WorkerLink({ view }: { view: ContractView }) {
  const { e } = useEmployerTexts();
  const [copied, setCopied] = useState(false);
  const id = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(view.reviewLink);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{e.detail.forWorker}</h2>
      <p>{e.detail.forWorkerIntro}</p>
      <div className="offer-grid">
        <QrSvg text={view.reviewLink} label={e.detail.qrLabel(view.document.worker.name)} />
        <div>
          <div className="field">
            <label htmlFor={`${id}-link`}>{e.detail.link}</label>
            <input id={`${id}-link`} readOnly value={view.reviewLink} onFocus={(ev) => ev.target.select()} />
          </div>
          <div className="actions">
            <a className="button secondary" href={view.reviewLink} target="_blank" rel="noopener noreferrer">
              {e.detail.link}
            </a>
            <button type="button" className="button secondary" onClick={copy}>
              {e.detail.copy}
            </button>
            <span role="status" className="copied">
              {copied ? e.detail.copied : ''}
            </span>
          </div>
          {view.state === 'awaiting-worker' ? <p role="status">{e.detail.waitingWorker}</p> : null}
        </div>
      </div>
    </section>
  );
}

/** The signed terms, as the worker saw them. */
function Terms({ view }: { view: ContractView }) {
  const { e, lang } = useEmployerTexts();
  const d = view.document;
  const a = view.assessment;
  const yes = (v: boolean) => (v ? '✓' : '—');
  const rows: Array<[string, ReactNode]> = [
    [e.detail.employer, `${d.employer.name}`],
    [e.detail.businessNumber, d.employer.businessRegistrationNumber],
    [e.form.workerName, d.worker.name],
    [e.form.workplaceName, `${d.workplace.name} (${d.workplace.address})`],
    [e.form.duties, d.duties],
    ...(d.role ? ([[e.form.role, d.role]] as Array<[string, ReactNode]>) : []),
    [e.form.period, `${d.period.start} – ${d.period.end ?? e.list.openEnded}`],
    [e.form.hourlyWage, won(d.hourlyWageKrw, lang)],
    [e.form.weeklyHours, `${d.weeklyHours}h`],
    [e.form.hoursTitle, d.workDays.map((w) => `${e.weekdays[w.day]} ${w.startTime}–${w.endTime}`).join(', ')],
    [e.form.breaks, d.breaks.length ? d.breaks.map((b) => `${b.startTime}–${b.endTime}`).join(', ') : '—'],
    [e.form.weeklyHolidayAllowance, yes(d.weeklyHolidayAllowance)],
    [e.form.weeklyHoliday, d.weeklyHoliday ? (d.weeklyHoliday === 'not-applicable' ? e.form.notApplicable : e.weekdays[d.weeklyHoliday]) : '—'],
    [e.form.annualLeave, d.annualLeave ? e.form.leave[d.annualLeave] : '—'],
    [e.form.payDay, d.wagePayment ? `${d.wagePayment.payDay} · ${e.form.methods[d.wagePayment.method]}` : '—'],
    [e.form.insurance, INSURANCES.filter((k) => d.socialInsurance[k]).map((k) => e.form.insuranceNames[k]).join(', ') || '—'],
    [e.form.weeklyHolidayPay, a ? won(a.weeklyHolidayPayKrw, lang) : '—'],
    [e.form.weeklyPay, a ? won(a.weeklyPayKrw, lang) : '—'],
    [e.form.monthlyPay, a ? won(a.monthlyEstimateKrw, lang) : '—'],
    [e.form.weeklyWork, a ? hoursAndMinutes(a.weeklyWorkMinutes, lang) : '—'],
  ];
  return (
    <section className="card" aria-labelledby="terms-title">
      <h2 id="terms-title">{e.detail.terms}</h2>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {a && a.findings.some((f) => f.severity === 'warning') ? (
        <>
          <h3>{e.form.warnings}</h3>
          <FindingList findings={a.findings.filter((f) => f.severity === 'warning')} className="problem-list findings-warnings" workDays={d.workDays} />
        </>
      ) : null}
    </section>
  );
}

/** The social insurance declaration: which of the four, since when. */
function SocialInsuranceForm({ view, onDone }: { view: ContractView; onDone(): void }) {
  const { e } = useEmployerTexts();
  const action = useAction();
  const [cover, setCover] = useState<SocialInsurance>({ ...view.document.socialInsurance });
  const [since, setSince] = useState(view.document.period.start);
  const [done, setDone] = useState(false);
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(
      () => laborApi.socialInsurance(view.id, { ...cover, since }),
      () => {
        setDone(true);
        onDone();
      },
    );
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{e.detail.socialTitle}</h3>
      <p className="field-hint">{e.detail.socialIntro}</p>
      <ErrorBanner error={action.error} />
      <fieldset>
        <legend className="visually-hidden">{e.form.insurance}</legend>
        {INSURANCES.map((key) => (
          <div className="field checkbox-field" key={key}>
            <input id={`${id}-${key}`} type="checkbox" checked={cover[key]} onChange={(ev) => setCover({ ...cover, [key]: ev.target.checked })} />
            <label htmlFor={`${id}-${key}`}>{e.form.insuranceNames[key]}</label>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-since`}>{e.detail.since}</label>
        <input id={`${id}-since`} type="date" required value={since} onChange={(ev) => setSince(ev.target.value)} />
      </div>
      <button type="submit" className="button primary" disabled={action.busy || !since || !INSURANCES.some((k) => cover[k])}>
        {e.detail.declare}
      </button>
      <p role="status">{done ? e.detail.declared : ''}</p>
    </form>
  );
}

/** Ending the contract: a date, then a confirmation step. */
function EndForm({ view, onDone }: { view: ContractView; onDone(): void }) {
  const { e } = useEmployerTexts();
  const action = useAction();
  const [endDate, setEndDate] = useState(() => kstToday());
  const [confirming, setConfirming] = useState(false);
  const id = useId();
  return (
    <form
      className="card"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!confirming) return setConfirming(true);
        void action.run(() => laborApi.end(view.id, endDate), onDone);
      }}
    >
      <h3 id={`${id}-title`}>{e.detail.endTitle}</h3>
      <ErrorBanner error={action.error} />
      <div className="field">
        <label htmlFor={`${id}-date`}>{e.detail.endDate}</label>
        <input id={`${id}-date`} type="date" required value={endDate} disabled={confirming} onChange={(ev) => setEndDate(ev.target.value)} />
      </div>
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby={`${id}-confirm`}>
          <p id={`${id}-confirm`}>{e.detail.confirmEnd(endDate)}</p>
          <div className="actions">
            <button type="submit" className="button danger" disabled={action.busy}>
              {e.detail.confirmEndButton}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {e.detail.cancel}
            </button>
          </div>
        </div>
      ) : (
        <button type="submit" className="button secondary" disabled={!endDate}>
          {e.detail.end}
        </button>
      )}
    </form>
  );
}

/** Issuing work history (WorkExperience) from the attendance chain. */
function WorkHistoryForm({ view, onDone }: { view: ContractView; onDone(): void }) {
  const { e } = useEmployerTexts();
  const action = useAction();
  const [role, setRole] = useState(view.document.role ?? '');
  const [done, setDone] = useState(false);
  const id = useId();
  return (
    <form
      className="card"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(
          () => laborApi.workExperience(view.id, role.trim() || undefined),
          () => {
            setDone(true);
            onDone();
          },
        );
      }}
    >
      <h3 id={`${id}-title`}>{e.detail.historyTitle}</h3>
      <p className="field-hint">{e.detail.historyIntro}</p>
      <ErrorBanner error={action.error} />
      <div className="field">
        <label htmlFor={`${id}-role`}>{e.detail.historyRole}</label>
        <input id={`${id}-role`} value={role} onChange={(ev) => setRole(ev.target.value)} />
      </div>
      <button type="submit" className="button primary" disabled={action.busy}>
        {e.detail.issueHistory}
      </button>
      <p role="status">{done ? e.detail.historyIssued : ''}</p>
    </form>
  );
}

/** One contract: its state and signatures, the worker's QR, the employer's actions and the timesheet. */
export function ContractDetail({ id }: { id: string }) {
  const { e } = useEmployerTexts();
  const { dateTime } = useI18n();
  const loaded = useLoad(() => laborApi.contract(id), [id]);
  const countersign = useAction();
  // Auditors read; admins and issuers act (the API refuses the rest with 403).
  const acts = useSession().session.operator.role !== 'auditor';
  const [notice, setNotice] = useState<string>();
  const view = loaded.data;
  const state = view?.state;

  // The worker signs in the wallet: ask again every few seconds until the signature has arrived.
  useEffect(() => {
    if (state !== 'awaiting-worker') return;
    const timer = window.setInterval(loaded.reload, WAIT_FOR_WORKER_MS);
    return () => window.clearInterval(timer);
  }, [state, loaded.reload]);

  if (!view) {
    return (
      <section>
        <p>
          <a href={hashOf({ name: 'list' })}>{e.detail.back}</a>
        </p>
        <ErrorBanner error={loaded.error} onRetry={loaded.reload} />
        {loaded.loading ? <Loading /> : null}
      </section>
    );
  }

  const after = (message: string) => () => {
    setNotice(message);
    loaded.reload();
  };
  const signature = (s: ContractView['workerSignature']) => (s ? `${dateTime(s.signedAt)} · ${s.signer}` : e.detail.notSigned);
  const live = view.state === 'active';

  return (
    <section aria-labelledby="contract-title">
      <p>
        <a href={hashOf({ name: 'list' })}>{e.detail.back}</a>
      </p>
      <div className="title-row">
        <h1 id="contract-title">{e.detail.title(view.document.worker.name)}</h1>
        <StateBadge state={view.state} />
      </div>
      {notice ? (
        <p className="banner info" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorBanner error={loaded.error} onRetry={loaded.reload} />

      <dl className="facts card">
        <div className="fact">
          <dt>{e.detail.state}</dt>
          <dd>{e.states[view.state] ?? view.state}</dd>
        </div>
        <div className="fact">
          <dt>{e.detail.version}</dt>
          <dd>
            {view.version}
            {view.previousVersion ? (
              <>
                {' · '}
                <a href={hashOf({ name: 'contract', id: view.previousVersion })}>{e.detail.previous}</a>
              </>
            ) : null}
          </dd>
        </div>
        <div className="fact">
          <dt>{e.detail.hash}</dt>
          <dd>
            <Hash value={view.hash} />
          </dd>
        </div>
        <div className="fact">
          <dt>{e.detail.created}</dt>
          <dd>{dateTime(view.createdAt)}</dd>
        </div>
        {view.endDate || view.endedAt ? (
          <div className="fact">
            <dt>{e.detail.ended}</dt>
            <dd>{view.endDate ?? dateTime(view.endedAt)}</dd>
          </div>
        ) : null}
        <div className="fact">
          <dt>{e.detail.workerSigned}</dt>
          <dd>{signature(view.workerSignature)}</dd>
        </div>
        <div className="fact">
          <dt>{e.detail.employerSigned}</dt>
          <dd>{signature(view.employerSignature)}</dd>
        </div>
      </dl>

      {view.state === 'awaiting-employer' && acts ? (
        <section className="card" aria-labelledby="countersign-title">
          <h2 id="countersign-title">{e.detail.countersign}</h2>
          <p>{e.detail.countersignIntro}</p>
          <ErrorBanner error={countersign.error} />
          <button type="button" className="button primary" disabled={countersign.busy} onClick={() => void countersign.run(() => laborApi.countersign(view.id), after(e.detail.countersigned))}>
            {countersign.busy ? e.detail.countersigning : e.detail.countersign}
          </button>
        </section>
      ) : null}

      {view.state === 'awaiting-worker' || view.state === 'awaiting-employer' || view.state === 'active' ? <WorkerLink view={view} /> : null}

      <Terms view={view} />

      {view.credentialOffers.length > 0 ? (
        <section aria-labelledby="offers-title">
          <h2 id="offers-title">{e.detail.offers}</h2>
          <DataTable
            id="offers"
            caption={e.detail.offersCaption}
            captionHidden
            rows={view.credentialOffers}
            rowKey={(o) => o.offerId}
            columns={[
              { header: e.detail.offerType, cell: (o) => e.detail.types[o.type] ?? o.type },
              { header: e.detail.offerState, cell: (o) => e.offerStates[o.state] ?? o.state },
            ]}
          />
        </section>
      ) : null}

      {acts && (live || view.state === 'ended') ? (
        <section aria-labelledby="actions-title">
          <h2 id="actions-title">{e.detail.actions}</h2>
          {live ? (
            <p>
              <a className="button secondary" href={hashOf({ name: 'revise', id: view.id })}>
                {e.detail.revise}
              </a>
            </p>
          ) : null}
          <div className="action-cards">
            {live ? <SocialInsuranceForm view={view} onDone={loaded.reload} /> : null}
            <WorkHistoryForm view={view} onDone={loaded.reload} />
            {live ? <EndForm view={view} onDone={after(e.detail.endedNotice)} /> : null}
          </div>
        </section>
      ) : null}

      {acts && (live || view.state === 'ended' || view.state === 'superseded') ? <Timesheet contract={view} /> : null}
    </section>
  );
}
