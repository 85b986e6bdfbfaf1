import { ageAt } from '@citycred/credentials/age';
import { dayNumberOf, kstDayNumber } from './calendar.js';
import { judgeEachOfType, NO_CITIZEN_CARD, SEOUL_CITIZEN_CARD } from './citizen-card.js';
import { composePolicy, type PolicyCriterion } from './compose.js';
import { text, type CredentialPolicy, type LocalisedText, type PresentedCredential } from './model.js';

/** The ages the Seoul citizen card carries a flag for (`ageOver15`, `ageOver18`, `ageOver19`). */
export type AgeFlagYears = 15 | 18 | 19;

const AGE_FLAG_YEARS: readonly number[] = [15, 18, 19];

/**
 * The criterion `age-over-N`: the holder is N or older (만 N세 이상) on the Korean (KST, UTC+9) calendar day of `at`,
 * by a presented `SeoulCitizenCard`. Asks for the `ageOverN` flag first (it says less) and accepts `birthDate` instead.
 *
 * - A disclosed, readable `birthDate` decides: the holder is N from the day of the Nth birthday (that day counts);
 *   someone born on 29 February reaches it on 1 March in a common year (the Korean Civil Code counts ages in
 *   calendar years; the same convention as `ageAt` in `@citycred/credentials`).
 * - Otherwise the flag decides. It was computed by the issuer on the day of issue: `true` holds from that day on
 *   (so not for an `at` on an earlier day); `false` means the holder was under N when the card was issued and fails
 *   — the holder can disclose the birth date instead, which may show they have turned N since.
 * - Neither disclosed, or no citizen card presented: failed.
 *
 * Several citizen cards are judged each, the first that passes is kept. `evidenceHash` is the card relied on.
 * @param years - 15, 18 or 19
 * @throws RangeError for any other age (the card has no flag for it)
 */
export function ageOverCriterion(years: AgeFlagYears): PolicyCriterion {
  if (!AGE_FLAG_YEARS.includes(years)) throw new RangeError(`the citizen card has no ageOver${String(years)} flag`);
  const id = `age-over-${years}`;
  const flag = `ageOver${years}`;
  const reasons = ageReasons(years);
  const judge = (card: PresentedCredential, at: Date): { passed: boolean; reason: LocalisedText } => {
    const birthDate = card.claims.birthDate;
    if (dayNumberOf(birthDate) !== undefined) {
      const passed = ageAt(birthDate as string, at) >= years;
      return { passed, reason: passed ? reasons.passed : reasons.under };
    }
    const flagValue = card.claims[flag];
    if (flagValue === true) {
      const passed = kstDayNumber(at) >= kstDayNumber(card.issuedAt);
      return { passed, reason: passed ? reasons.passed : reasons.flagAfterDate };
    }
    if (flagValue === false) return { passed: false, reason: reasons.underWhenIssued };
    return { passed: false, reason: birthDate === undefined ? reasons.notDisclosed : reasons.birthDateUnreadable };
  };
  return Object.freeze({
    id,
    requires: Object.freeze([
      Object.freeze({
        type: SEOUL_CITIZEN_CARD,
        claims: Object.freeze([flag, 'birthDate']),
        claimSets: Object.freeze([Object.freeze([flag]), Object.freeze(['birthDate'])]),
      }),
    ]),
    evaluate: (credentials: readonly PresentedCredential[], at: Date) =>
      judgeEachOfType(id, credentials, SEOUL_CITIZEN_CARD, NO_CITIZEN_CARD, (card) => judge(card, at)),
  });
}

/**
 * The policy `age-over-N` (version 1): {@link ageOverCriterion} alone, for an employer's or a shop's age check.
 * @param years - 15, 18 or 19
 * @throws RangeError for any other age
 */
export function ageOverPolicy(years: AgeFlagYears): CredentialPolicy {
  return composePolicy({
    id: `age-over-${years}`,
    version: '1',
    title: { ko: `만 ${years}세 이상 확인`, en: `Age ${years} or over` },
    purpose: {
      ko: `만 ${years}세 이상인지 확인합니다. 생년월일 대신 만 ${years}세 이상 여부만 요청합니다.`,
      en: `Confirms the holder is ${years} or older, asking whether they are rather than for the birth date.`,
    },
    criteria: [ageOverCriterion(years)],
  });
}

function ageReasons(years: number) {
  return {
    passed: text(`만 ${years}세 이상입니다.`, `The holder is ${years} or older.`),
    under: text(`만 ${years}세 미만입니다.`, `The holder is under ${years}.`),
    underWhenIssued: text(
      `서울시민카드 발급일 기준 만 ${years}세 미만입니다.`,
      `The holder was under ${years} when the citizen card was issued.`,
    ),
    flagAfterDate: text(
      `서울시민카드가 기준일 이후에 발급되어 기준일의 만 ${years}세 이상 여부를 알 수 없습니다.`,
      `The citizen card was issued after the reference date, so it does not show the holder was ${years} or older then.`,
    ),
    notDisclosed: text(
      `만 ${years}세 이상 여부와 생년월일이 모두 공개되지 않았습니다.`,
      `Neither whether the holder is ${years} or older nor the birth date was disclosed.`,
    ),
    birthDateUnreadable: text('생년월일을 읽을 수 없습니다.', 'The birth date could not be read.'),
  } satisfies Record<string, LocalisedText>;
}
