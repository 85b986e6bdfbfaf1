import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { WEEKDAYS, type LaborFinding, type Weekday } from '@citycred/labor';
import { ErrorBanner, isSignedOut, Loading, useLoad, useSession } from '../../ui.js';
import { useLabor } from '../EmployerApp.js';
import { laborApi, refusedFindings, type ContractView, type SocialInsurance } from '../api.js';
import { hashOf } from '../routes.js';
import { assessDraft, draftFromDocument, emptyDraft, findingsAt, kstToday, weeklyHoursOfDays, won, type DraftForm } from '../terms.js';
import { useEmployerTexts } from '../texts.js';

const INSURANCES: readonly (keyof SocialInsurance)[] = ['nationalPension', 'healthInsurance', 'employmentInsurance', 'industrialAccident'];

/**
 * A list of findings in the chosen language; a finding about a work day (`/workDays/<i>`) names the day when the
 * contract's work days are given.
 */
export function FindingList({ findings, className, workDays }: { findings: readonly LaborFinding[]; className?: string; workDays?: readonly { day: Weekday }[] }) {
  const { e, lang } = useEmployerTexts();
  const dayOf = (f: LaborFinding) => {
    const match = /^\/workDays\/([0-9]+)/.exec(f.path);
    const day = match ? workDays?.[Number(match[1])]?.day : undefined;
    return day ? `${e.weekdays[day]}: ` : '';
  };
  return (
    <ul className={className ?? 'problem-list'}>
      {findings.map((f, i) => (
        <li key={`${f.code}-${f.path}-${i}`} data-code={f.code}>
          {dayOf(f)}
          {f.message[lang]}
        </li>
      ))}
    </ul>
  );
}

/** A labelled input with its hint and the findings about it (announced with it). */
function Field({
  id,
  label,
  hint,
  problems,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  problems: readonly LaborFinding[];
  children(props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }): ReactNode;
}) {
  const { lang } = useEmployerTexts();
  const described = [hint ? `${id}-hint` : null, problems.length ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children({ id, ...(described ? { 'aria-describedby': described } : {}), ...(problems.length ? { 'aria-invalid': true as const } : {}) })}
      {problems.length ? (
        <p className="field-error" id={`${id}-error`}>
          {problems.map((p) => p.message[lang]).join(' ')}
        </p>
      ) : null}
    </div>
  );
}

/** The draft (or revision) form, with the live legal assessment beside it. */
function DraftEditor({ initial, revising, onSent }: { initial: DraftForm; revising?: ContractView; onSent(view: ContractView): void }) {
  const { e, lang } = useEmployerTexts();
  const { table, go } = useLabor();
  const { signedOut } = useSession();
  const [form, setForm] = useState<DraftForm>(initial);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const summaryRef = useRef<HTMLDivElement>(null);
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;

  const live = useMemo(() => assessDraft(form, table), [form, table]);
  const { assessment } = live;
  const serverFindings = refusedFindings(error);
  const shown = tried ? live.errors : [];
  const at = (path: string) => findingsAt(shown, path);
  const set = <K extends keyof DraftForm>(key: K, value: DraftForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setDay = (day: Weekday, change: Partial<DraftForm['days'][Weekday]>) => setForm((f) => ({ ...f, days: { ...f.days, [day]: { ...f.days[day], ...change } } }));
  const setBreak = (i: number, change: Partial<DraftForm['breaks'][number]>) => setForm((f) => ({ ...f, breaks: f.breaks.map((b, j) => (j === i ? { ...b, ...change } : b)) }));

  useEffect(() => {
    if (tried && live.errors.length > 0) summaryRef.current?.focus();
    // Only when a submit is refused (tried flips, or a new refused submit).
  }, [tried]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    setError(undefined);
    if (live.errors.length > 0) {
      summaryRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      onSent(revising ? await laborApi.revise(revising.id, live.terms) : await laborApi.draft(live.terms));
    } catch (caught) {
      if (isSignedOut(caught)) return signedOut();
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const sum = weeklyHoursOfDays(assessment);
  const sumText = Number.isInteger(sum * 2) ? String(sum) : sum.toFixed(2);
  const holiday = assessment.weeklyHolidayHours > 0;

  return (
    <div className="draft-layout">
      <form onSubmit={submit} noValidate className="draft-form" aria-labelledby="draft-title">
        {tried && live.errors.length > 0 ? (
          <div className="banner error" role="alert" tabIndex={-1} ref={summaryRef}>
            <span>{e.form.refused(live.errors.length)}</span>
            <FindingList findings={live.errors} workDays={live.terms.workDays} />
          </div>
        ) : null}
        {serverFindings.length > 0 ? (
          <div className="banner error" role="alert">
            <span>{e.form.serverRefused}</span>
            <FindingList findings={serverFindings} workDays={live.terms.workDays} />
          </div>
        ) : (
          <ErrorBanner error={error} />
        )}

        <fieldset className="card">
          <legend>{e.form.parties}</legend>
          <Field id={fid('worker')} label={e.form.workerName} problems={at('/worker/name')}>
            {(p) => <input {...p} autoComplete="off" value={form.workerName} onChange={(ev) => set('workerName', ev.target.value)} />}
          </Field>
          <Field id={fid('workplace-name')} label={e.form.workplaceName} problems={form.workplaceName.trim() ? [] : at('/workplace')}>
            {(p) => <input {...p} value={form.workplaceName} onChange={(ev) => set('workplaceName', ev.target.value)} />}
          </Field>
          <Field id={fid('workplace-address')} label={e.form.workplaceAddress} problems={form.workplaceAddress.trim() ? [] : at('/workplace')}>
            {(p) => <input {...p} value={form.workplaceAddress} onChange={(ev) => set('workplaceAddress', ev.target.value)} />}
          </Field>
          <Field id={fid('duties')} label={e.form.duties} problems={at('/duties')}>
            {(p) => <textarea {...p} rows={2} value={form.duties} onChange={(ev) => set('duties', ev.target.value)} />}
          </Field>
          <Field id={fid('role')} label={e.form.role} hint={e.form.roleHint} problems={[]}>
            {(p) => <input {...p} value={form.role} onChange={(ev) => set('role', ev.target.value)} />}
          </Field>
        </fieldset>

        <fieldset className="card">
          <legend>{e.form.period}</legend>
          <div className="field-row">
            <Field id={fid('start')} label={e.form.periodStart} problems={at('/period/start')}>
              {(p) => <input {...p} type="date" value={form.periodStart} onChange={(ev) => set('periodStart', ev.target.value)} />}
            </Field>
            <Field id={fid('end')} label={e.form.periodEnd} hint={e.form.periodEndHint} problems={at('/period/end')}>
              {(p) => <input {...p} type="date" value={form.periodEnd} onChange={(ev) => set('periodEnd', ev.target.value)} />}
            </Field>
          </div>
        </fieldset>

        <fieldset className="card">
          <legend>{e.form.wage}</legend>
          <Field
            id={fid('wage')}
            label={e.form.hourlyWage}
            hint={live.minimumWage ? e.form.minimumWage(live.minimumWage.year, won(live.minimumWage.krw, lang)) : undefined}
            problems={findingsAt(live.errors, '/hourlyWageKrw').length && (tried || form.hourlyWage) ? findingsAt(live.errors, '/hourlyWageKrw') : []}
          >
            {(p) => <input {...p} inputMode="numeric" value={form.hourlyWage} onChange={(ev) => set('hourlyWage', ev.target.value)} />}
          </Field>
          <div className="field-row">
            <Field id={fid('pay-day')} label={e.form.payDay} problems={at('/wagePayment')}>
              {(p) => <input {...p} inputMode="numeric" value={form.payDay} onChange={(ev) => set('payDay', ev.target.value)} />}
            </Field>
            <Field id={fid('pay-method')} label={e.form.payMethod} problems={at('/wagePayment')}>
              {(p) => (
                <select {...p} value={form.payMethod} onChange={(ev) => set('payMethod', ev.target.value as DraftForm['payMethod'])}>
                  <option value="">{e.form.choose}</option>
                  <option value="bank-transfer">{e.form.methods['bank-transfer']}</option>
                  <option value="cash">{e.form.methods['cash']}</option>
                </select>
              )}
            </Field>
          </div>
        </fieldset>

        <fieldset className="card">
          <legend>{e.form.hoursTitle}</legend>
          <p className="field-hint">{e.form.hoursIntro}</p>
          <div className="work-days">
            {WEEKDAYS.map((day) => {
              const name = e.weekdays[day];
              const row = form.days[day];
              const index = WEEKDAYS.filter((d) => form.days[d].on).indexOf(day);
              const problems = row.on && index >= 0 ? findingsAt(live.errors, `/workDays/${index}`) : [];
              const warnings = row.on && index >= 0 ? findingsAt(live.warnings, `/workDays/${index}`) : [];
              return (
                <div className="work-day" key={day}>
                  <div className="field checkbox-field">
                    <input id={fid(`day-${day}`)} type="checkbox" checked={row.on} onChange={(ev) => setDay(day, { on: ev.target.checked })} />
                    <label htmlFor={fid(`day-${day}`)}>{e.form.workDay(name)}</label>
                  </div>
                  {row.on ? (
                    <>
                      <label className="visually-hidden" htmlFor={fid(`day-${day}-start`)}>
                        {e.form.start(name)}
                      </label>
                      <input id={fid(`day-${day}-start`)} type="time" value={row.start} aria-invalid={problems.length && (tried || row.start) ? true : undefined} onChange={(ev) => setDay(day, { start: ev.target.value })} />
                      <span aria-hidden="true">–</span>
                      <label className="visually-hidden" htmlFor={fid(`day-${day}-end`)}>
                        {e.form.end(name)}
                      </label>
                      <input id={fid(`day-${day}-end`)} type="time" value={row.end} aria-invalid={problems.length && (tried || row.end) ? true : undefined} onChange={(ev) => setDay(day, { end: ev.target.value })} />
                      {[...(tried || (row.start && row.end) ? problems : []), ...warnings].map((f, i) => (
                        <p key={i} className={f.severity === 'error' ? 'field-error' : 'field-hint warning-text'}>
                          {f.message[lang]}
                        </p>
                      ))}
                    </>
                  ) : null}
                </div>
              );
            })}
          </div>
          {tried && findingsAt(live.errors, '/workDays').length && live.terms.workDays.length === 0 ? <p className="field-error">{findingsAt(live.errors, '/workDays')[0]!.message[lang]}</p> : null}

          <h2 className="subheading">{e.form.breaks}</h2>
          <p className="field-hint">{e.form.breaksIntro}</p>
          {form.breaks.map((b, i) => (
            <div className="work-day" key={i}>
              <label htmlFor={fid(`break-${i}-start`)}>{e.form.breakStart(i + 1)}</label>
              <input id={fid(`break-${i}-start`)} type="time" value={b.start} onChange={(ev) => setBreak(i, { start: ev.target.value })} />
              <label htmlFor={fid(`break-${i}-end`)}>{e.form.breakEnd(i + 1)}</label>
              <input id={fid(`break-${i}-end`)} type="time" value={b.end} onChange={(ev) => setBreak(i, { end: ev.target.value })} />
              <button type="button" className="button secondary small" onClick={() => set('breaks', form.breaks.filter((_, j) => j !== i))}>
                {e.form.removeBreak(i + 1)}
              </button>
              {tried ? findingsAt(live.errors, `/breaks/${i}`).map((f, k) => <p key={k} className="field-error">{f.message[lang]}</p>) : null}
            </div>
          ))}
          <button type="button" className="button secondary small" onClick={() => set('breaks', [...form.breaks, { start: '', end: '' }])}>
            {e.form.addBreak}
          </button>

          <Field
            id={fid('weekly-hours')}
            label={e.form.weeklyHours}
            hint={e.form.weeklyHoursHint(sumText)}
            problems={tried || form.weeklyHours ? findingsAt(live.errors, '/weeklyHours') : []}
          >
            {(p) => (
              <div className="inline-input">
                <input {...p} inputMode="decimal" value={form.weeklyHours} onChange={(ev) => set('weeklyHours', ev.target.value)} />
                <button type="button" className="button secondary small" disabled={sum <= 0 || String(sum) === form.weeklyHours.trim()} onClick={() => set('weeklyHours', sumText)}>
                  {e.form.useSum}
                </button>
              </div>
            )}
          </Field>
        </fieldset>

        <fieldset className="card">
          <legend>{e.form.holidays}</legend>
          <div className="field checkbox-field">
            <input
              id={fid('allowance')}
              type="checkbox"
              checked={form.weeklyHolidayAllowance}
              aria-describedby={`${fid('allowance')}-hint`}
              aria-invalid={at('/weeklyHolidayAllowance').length ? true : undefined}
              onChange={(ev) => set('weeklyHolidayAllowance', ev.target.checked)}
            />
            <label htmlFor={fid('allowance')}>{e.form.weeklyHolidayAllowance}</label>
            <p className="field-hint" id={`${fid('allowance')}-hint`}>
              {e.form.weeklyHolidayAllowanceHint}
            </p>
          </div>
          <div className="field-row">
            <Field id={fid('holiday')} label={e.form.weeklyHoliday} problems={at('/weeklyHoliday')}>
              {(p) => (
                <select {...p} value={form.weeklyHoliday} onChange={(ev) => set('weeklyHoliday', ev.target.value as DraftForm['weeklyHoliday'])}>
                  <option value="">{e.form.choose}</option>
                  {WEEKDAYS.map((d) => (
                    <option key={d} value={d}>
                      {e.weekdays[d]}
                    </option>
                  ))}
                  <option value="not-applicable">{e.form.notApplicable}</option>
                </select>
              )}
            </Field>
            <Field id={fid('leave')} label={e.form.annualLeave} problems={at('/annualLeave')}>
              {(p) => (
                <select {...p} value={form.annualLeave} onChange={(ev) => set('annualLeave', ev.target.value as DraftForm['annualLeave'])}>
                  <option value="">{e.form.choose}</option>
                  <option value="statutory">{e.form.leave['statutory']}</option>
                  <option value="not-applicable">{e.form.leave['not-applicable']}</option>
                </select>
              )}
            </Field>
          </div>
        </fieldset>

        <fieldset className="card">
          <legend>{e.form.insurance}</legend>
          {INSURANCES.map((key) => (
            <div className="field checkbox-field" key={key}>
              <input
                id={fid(`insurance-${key}`)}
                type="checkbox"
                checked={form.socialInsurance[key]}
                onChange={(ev) => set('socialInsurance', { ...form.socialInsurance, [key]: ev.target.checked })}
              />
              <label htmlFor={fid(`insurance-${key}`)}>{e.form.insuranceNames[key]}</label>
            </div>
          ))}
        </fieldset>

        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? e.form.submitting : revising ? e.form.submitRevise : e.form.submit}
          </button>
          <button type="button" className="button secondary" onClick={() => go(revising ? { name: 'contract', id: revising.id } : { name: 'list' })}>
            {e.form.cancel}
          </button>
        </div>
      </form>

      <aside className="card assessment" aria-labelledby="assessment-title">
        <h2 id="assessment-title">{e.form.assessment}</h2>
        <h3>{e.form.figures}</h3>
        <dl className="facts" aria-label={e.form.figures}>
          <dt>{e.form.weeklyWork}</dt>
          <dd>{sumText}h</dd>
          <dt>{e.form.weeklyHolidayPay}</dt>
          <dd data-testid="weekly-holiday-pay">
            {holiday ? (
              <>
                {won(assessment.weeklyHolidayPayKrw, lang)} <span className="field-hint">({e.form.weeklyHolidayHours(String(Math.round(assessment.weeklyHolidayHours * 100) / 100))})</span>
              </>
            ) : (
              e.form.noWeeklyHoliday
            )}
          </dd>
          <dt>{e.form.weeklyPay}</dt>
          <dd>{won(assessment.weeklyPayKrw, lang)}</dd>
          <dt>{e.form.monthlyPay}</dt>
          <dd>{won(assessment.monthlyEstimateKrw, lang)}</dd>
        </dl>
        {live.errors.length > 0 ? (
          <>
            <h3>{e.form.errors}</h3>
            <FindingList findings={live.errors} className="problem-list findings-errors" workDays={live.terms.workDays} />
          </>
        ) : null}
        {live.warnings.length > 0 ? (
          <>
            <h3>{e.form.warnings}</h3>
            <FindingList findings={live.warnings} className="problem-list findings-warnings" workDays={live.terms.workDays} />
          </>
        ) : null}
        {live.errors.length === 0 && live.warnings.length === 0 ? <p role="status">{e.form.noFindings}</p> : null}
      </aside>
    </div>
  );
}

/** Drafting a new contract, or revising one (`reviseId`): the form, then the new contract's detail. */
export function ContractForm({ reviseId }: { reviseId?: string }) {
  const { e } = useEmployerTexts();
  const { settings, go } = useLabor();
  const revising = useLoad(() => (reviseId ? laborApi.contract(reviseId) : Promise.resolve(undefined)), [reviseId]);
  const sent = (view: ContractView) => go({ name: 'contract', id: view.id });
  return (
    <section aria-labelledby="draft-title">
      <p>
        <a href={reviseId ? hashOf({ name: 'contract', id: reviseId }) : hashOf({ name: 'list' })}>{reviseId ? e.detail.title(revising.data?.document.worker.name ?? '') : e.detail.back}</a>
      </p>
      <h1 id="draft-title">{reviseId ? e.form.titleRevise(revising.data?.version ?? 0) : e.form.titleNew}</h1>
      <p>{reviseId ? e.form.reviseIntro : e.form.intro}</p>
      {reviseId ? (
        <>
          <ErrorBanner error={revising.error} onRetry={revising.reload} />
          {revising.loading ? <Loading /> : null}
          {revising.data ? <DraftEditor initial={draftFromDocument(revising.data.document)} revising={revising.data} onSent={sent} /> : null}
        </>
      ) : (
        <DraftEditor initial={emptyDraft(settings.employer.name, kstToday())} onSent={sent} />
      )}
    </section>
  );
}
