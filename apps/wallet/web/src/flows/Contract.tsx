import { assessContractTerms, type ContractDocument, type MinimumWageTable } from '@citycred/labor';
import { checkContractReview, fetchContractReview, parseContractLink, refreshContract, signContract, type ContractReview, type ContractReviewCheck, type ContractReviewLink, type HolderKey, type LaborContractRecord, type Vault } from '@citycred/wallet-core';
import { fill, useLanguage, useMessages, type Lang } from '@citycred/web-ui';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { TEXTS } from '../texts.js';
import { LABOR_TEXTS, type LaborTexts } from './labor-texts.js';
import { laborErrorText, minimumWageTable, WEEKDAY_NAMES, wonText } from './labor.js';
import { BROWSER_TRANSPORT, catalogueNameOf } from './protocol.js';
import { credentialTypeInfo } from '@citycred/credentials/catalogue';

/** How often a signed contract's review is read again while the screen is open (the employer's countersignature, offers). */
export const CONTRACT_POLL_MS = 3000;

type Stage =
  | { readonly name: 'loading' }
  | { readonly name: 'review'; readonly link: ContractReviewLink; readonly review: ContractReview; readonly check: ContractReviewCheck; readonly table: MinimumWageTable | undefined }
  | { readonly name: 'signed'; readonly record: LaborContractRecord; readonly offers: ContractReview['offers']; readonly justSigned: boolean };

/**
 * A labour contract sent to the worker (`#contract?url=<review URL>`, or its QR scanned): the review read with its
 * token and shown in plain Korean or English — every Art. 17 item, the employer with its business number, the
 * figures and warnings of the wallet's own assessment (`assessContractTerms` with the wallet server's minimum wage
 * table) and what the service's said — with the hash recomputed on the phone. "서명하기" signs the hash with the
 * holder key (refused when the hash differs or the wallet's assessment finds an error) and keeps the contract in the
 * vault; the screen then reads the review every few seconds until the LaborContract offer (and later others) waits,
 * which {@link onReceive} opens in the receive flow.
 */
export function Contract({ vault, holder, link, onReceive, onCancel }: { vault: Vault; holder: HolderKey | undefined; link: string | undefined; onReceive: (links: readonly string[], recordId: string) => void; onCancel: () => void }): ReactNode {
  const t = useMessages(TEXTS);
  const l = useMessages(LABOR_TEXTS);
  const { lang } = useLanguage();
  const [stage, setStage] = useState<Stage>({ name: 'loading' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const read = useRef(false);

  useEffect(() => {
    if (read.current) return;
    read.current = true;
    void (async () => {
      try {
        const parsed = parseContractLink(link ?? '', BROWSER_TRANSPORT.allowInsecureHttp);
        const held = await vault.laborContract(parsed.id);
        if (held) {
          setStage({ name: 'signed', record: held, offers: [], justSigned: false });
          return;
        }
        const [review, table] = await Promise.all([fetchContractReview(parsed.reviewUrl, BROWSER_TRANSPORT), minimumWageTable()]);
        setStage({ name: 'review', link: parsed, review, check: checkContractReview(review, table), table });
      } catch (caught) {
        setError(laborErrorText(caught, lang, t));
      }
    })();
  }, [link, vault, lang, t]);

  // While a signed contract is on screen, its review is read again every few seconds: state and waiting offers.
  const signedId = stage.name === 'signed' ? stage.record.id : undefined;
  useEffect(() => {
    if (signedId === undefined) return;
    let stopped = false;
    const poll = async () => {
      try {
        const current = await vault.laborContract(signedId);
        if (!current || stopped) return;
        const { record, offers } = await refreshContract(current, BROWSER_TRANSPORT);
        await vault.saveLaborContract(record);
        if (!stopped) setStage((previous) => (previous.name === 'signed' ? { ...previous, record, offers } : previous));
      } catch {
        // Offline or the service down: the next round tries again.
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), CONTRACT_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [signedId, vault]);

  async function sign(current: Extract<Stage, { name: 'review' }>): Promise<void> {
    if (!holder) return;
    setBusy(true);
    setError('');
    try {
      const record = await signContract(current.review, current.link, holder, current.table, BROWSER_TRANSPORT);
      await vault.saveLaborContract(record);
      setStage({ name: 'signed', record, offers: [], justSigned: true });
    } catch (caught) {
      setError(laborErrorText(caught, lang, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="contract-title" id="contract">
      <button type="button" className="link" onClick={onCancel}>
        ← {t.back}
      </button>
      <h1 id="contract-title">{l.contractTitle}</h1>
      {stage.name === 'loading' && !error && <p>{l.contractLoading}</p>}
      {stage.name === 'review' && (
        <>
          <p className="hint">{l.contractIntro}</p>
          <ContractTerms document={stage.review.document as unknown as ContractDocument} employerName={stage.review.employer.name} businessNumberValid={stage.check.businessNumberValid} lang={lang} l={l} />
          {stage.check.assessment && (
            <div className="panel" id="contract-figures">
              <h2>{l.figures}</h2>
              <p>{fill(l.weeklyPay, { amount: wonText(stage.check.assessment.weeklyPayKrw) })}</p>
              <p>{fill(l.monthlyEstimate, { amount: wonText(stage.check.assessment.monthlyEstimateKrw) })}</p>
            </div>
          )}
          <Findings check={stage.check} review={stage.review} lang={lang} l={l} />
          <div className="panel" id="contract-hash" data-matches={String(stage.check.hashMatches)}>
            <h2>{l.hashTitle}</h2>
            <p className="did">{stage.review.hash}</p>
            <p className={stage.check.hashMatches ? 'success' : 'error'}>{stage.check.hashMatches ? l.hashOk : fill(l.hashBad, { hash: stage.check.recomputedHash || '—' })}</p>
          </div>
          {stage.review.state !== 'awaiting-worker' ? (
            <p className="notice" id="contract-state">
              {l.state}: {l.states[stage.review.state] ?? stage.review.state}
            </p>
          ) : (
            <button type="button" className="primary" id="contract-sign" disabled={busy || !holder || !stage.check.canSign} onClick={() => void sign(stage)}>
              {busy ? l.signing : l.sign}
            </button>
          )}
        </>
      )}
      {stage.name === 'signed' && (
        <div className="panel" id="contract-signed" data-state={stage.record.state}>
          <p role="status" className="success">
            {stage.justSigned ? l.signed : l.alreadyHeld}
          </p>
          <p id="contract-state">
            {l.state}: {l.states[stage.record.state] ?? stage.record.state}
          </p>
          {stage.record.state === 'awaiting-employer' && <p className="hint">{l.waiting}</p>}
          {stage.offers.length > 0 && <WaitingOffers offers={stage.offers} lang={lang} l={l} onReceive={() => onReceive(stage.offers.map((offer) => offer.link), stage.record.id)} />}
        </div>
      )}
      {error && (
        <p role="alert" className="error" id="contract-error">
          {error}
        </p>
      )}
    </section>
  );
}

/** "새 증명서가 도착했습니다": the offers a contract's review lists for the worker, and the button that receives them. */
export function WaitingOffers({ offers, lang, l, onReceive }: { offers: ContractReview['offers']; lang: Lang; l: LaborTexts; onReceive: () => void }): ReactNode {
  const types = offers.map((offer) => {
    const name = catalogueNameOf(offer.type);
    return name ? credentialTypeInfo(name).labels[lang] : offer.type;
  });
  return (
    <div className="notice" id="contract-offers" role="status" data-types={offers.map((offer) => offer.type).join(' ')}>
      <p>
        <strong>{l.offersWaiting}</strong>
      </p>
      <p>{fill(l.offersWaitingList, { types: types.join(', ') })}</p>
      <button type="button" className="primary" id="contract-receive" onClick={onReceive}>
        {l.receiveOffers}
      </button>
    </div>
  );
}

function Findings({ check, review, lang, l }: { check: ContractReviewCheck; review: ContractReview; lang: Lang; l: LaborTexts }): ReactNode {
  // The wallet's own findings when it has a table; else the service's, as it sent them.
  const findings = check.assessment?.findings ?? review.assessment?.findings ?? [];
  if (findings.length === 0 && check.assessment) return null;
  return (
    <div className="panel" id="contract-findings">
      <h2>{l.findingsTitle}</h2>
      {!check.assessment && <p className="card-warning">{l.noTable}</p>}
      <ul>
        {findings.map((finding, index) => (
          <li key={index} className={finding.severity === 'error' ? 'error' : 'card-warning'} data-code={finding.code}>
            {finding.message[lang]}
          </li>
        ))}
      </ul>
      {check.errors.length > 0 && (
        <p className="error" id="contract-refused">
          {l.localRefused}
        </p>
      )}
      {check.unreported.length > 0 && (
        <p className="error" id="contract-unreported">
          {fill(l.serverSilent, { codes: check.unreported.join(', ') })}
        </p>
      )}
    </div>
  );
}

/** Every Art. 17 item of a contract document, in the page's language (also shown on the LaborContract card). */
export function ContractTerms({ document, employerName, businessNumberValid, lang, l }: { document: ContractDocument; employerName?: string; businessNumberValid: boolean; lang: Lang; l: LaborTexts }): ReactNode {
  const days = WEEKDAY_NAMES[lang];
  // The day-by-day hours and the weekly holiday allowance as the shared rules compute them (the wage check needs the
  // minimum wage table and is the caller's; the figures here do not).
  const figures = assessContractTerms(document, {});
  const holidayHours = figures.weeklyHolidayHours;
  const yesNo = (value: boolean) => (value ? l.applies : l.notApplies);
  return (
    <dl className="claims" id="contract-terms">
      <dt>{l.employer}</dt>
      <dd data-item="employer">{document.employer?.name ?? employerName}</dd>
      <dt>{l.businessNumber}</dt>
      <dd data-item="business-number">
        {document.employer?.businessRegistrationNumber} {!businessNumberValid && <span className="card-warning">{l.businessNumberBad}</span>}
      </dd>
      {document.employer?.representative && (
        <>
          <dt>{l.representative}</dt>
          <dd>{document.employer.representative}</dd>
        </>
      )}
      <dt>{l.worker}</dt>
      <dd data-item="worker">{document.worker?.name}</dd>
      <dt>{l.workplace}</dt>
      <dd data-item="workplace">
        {document.workplace?.name}, {document.workplace?.address}
      </dd>
      <dt>{l.duties}</dt>
      <dd data-item="duties">{document.duties}</dd>
      {document.role && (
        <>
          <dt>{l.role}</dt>
          <dd data-item="role">{document.role}</dd>
        </>
      )}
      <dt>{l.period}</dt>
      <dd data-item="period">{document.period?.end ? fill(l.periodFixed, { start: document.period.start, end: document.period.end }) : fill(l.periodOpen, { start: document.period?.start ?? '' })}</dd>
      <dt>{l.hourlyWage}</dt>
      <dd data-item="hourly-wage">{fill(l.won, { amount: wonText(document.hourlyWageKrw) })}</dd>
      <dt>{l.weeklyHours}</dt>
      <dd data-item="weekly-hours">{fill(l.hours, { n: String(document.weeklyHours) })}</dd>
      <dt>{l.workDays}</dt>
      <dd data-item="work-days">
        <ul>
          {(document.workDays ?? []).map((day) => {
            const hours = figures.days.find((d) => d.day === day.day);
            return (
              <li key={day.day}>
                {fill(l.workDay, { day: days[day.day] ?? day.day, start: day.startTime, end: day.endTime, breakMinutes: String(hours?.breakMinutes ?? 0), workHours: String(Math.round(((hours?.workMinutes ?? 0) / 60) * 100) / 100) })}
              </li>
            );
          })}
        </ul>
      </dd>
      <dt>{l.breaks}</dt>
      <dd data-item="breaks">{document.breaks?.length ? document.breaks.map((b) => `${b.startTime}~${b.endTime}`).join(', ') : l.noBreaks}</dd>
      <dt>{l.weeklyHoliday}</dt>
      <dd data-item="weekly-holiday">{document.weeklyHoliday === undefined || document.weeklyHoliday === 'not-applicable' ? l.notApplicable : days[document.weeklyHoliday]}</dd>
      <dt>{l.weeklyHolidayAllowance}</dt>
      <dd data-item="weekly-holiday-allowance">{holidayHours > 0 ? fill(l.allowanceYes, { hours: String(Math.round(holidayHours * 100) / 100), amount: wonText(figures.weeklyHolidayPayKrw) }) : l.allowanceNo}</dd>
      <dt>{l.annualLeave}</dt>
      <dd data-item="annual-leave">{document.annualLeave === 'statutory' ? l.annualLeaveStatutory : l.notApplicable}</dd>
      <dt>{l.wagePayment}</dt>
      <dd data-item="wage-payment">{document.wagePayment ? fill(l.payDayMethod, { day: String(document.wagePayment.payDay), method: document.wagePayment.method === 'cash' ? l.cash : l.bankTransfer }) : '—'}</dd>
      <dt>{l.socialInsurance}</dt>
      <dd data-item="social-insurance">
        {l.nationalPension} {yesNo(document.socialInsurance?.nationalPension)}, {l.healthInsurance} {yesNo(document.socialInsurance?.healthInsurance)}, {l.employmentInsurance} {yesNo(document.socialInsurance?.employmentInsurance)}, {l.industrialAccident}{' '}
        {yesNo(document.socialInsurance?.industrialAccident)}
      </dd>
    </dl>
  );
}
