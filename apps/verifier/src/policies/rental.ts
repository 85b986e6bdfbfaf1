import { judgeEachOfType } from './citizen-card.js';
import type { PolicyCriterion } from './compose.js';
import { text, type LocalisedText, type PresentedCredential } from './model.js';

/** The catalogue type of the housing policy division's rental status (임차 확인서). */
export const RENTAL_STATUS = 'RentalStatus';

/** Settings of {@link rentingWithinCapsCriterion}: both caps are included. */
export interface RentCaps {
  /** The highest deposit (보증금) admitted, in won. */
  readonly maxDepositKrw: number;
  /** The highest monthly rent (월세) admitted, in won. */
  readonly maxMonthlyRentKrw: number;
}

const NONE = text('임차 확인서가 제시되지 않았습니다.', 'No rental status credential was presented.');

/**
 * The criterion `rental.within-caps`: a presented `RentalStatus` with `tenure` `renting`, a monthly rent above zero
 * (monthly rent support is for 월세, not 전세) and `depositKrw` and `monthlyRentKrw` at most the caps — exactly a cap
 * passes. The reason names the caps, never the holder's figures or address.
 * @throws RangeError when a cap is not a whole number of won of 0 or more (a configuration fault)
 */
export function rentingWithinCapsCriterion(caps: RentCaps): PolicyCriterion {
  const { maxDepositKrw, maxMonthlyRentKrw } = caps;
  if (![maxDepositKrw, maxMonthlyRentKrw].every((cap) => Number.isSafeInteger(cap) && cap >= 0)) {
    throw new RangeError(`rent caps must be whole numbers of won, not ${String(maxDepositKrw)} / ${String(maxMonthlyRentKrw)}`);
  }
  const id = 'rental.within-caps';
  const won = (amount: number) => amount.toLocaleString('en-US');
  const reasons = {
    passed: text(
      `보증금 ${won(maxDepositKrw)}원 이하, 월세 ${won(maxMonthlyRentKrw)}원 이하로 임차 중입니다.`,
      `The holder rents with a deposit of at most ${won(maxDepositKrw)} KRW and a monthly rent of at most ${won(maxMonthlyRentKrw)} KRW.`,
    ),
    notRenting: text('월세로 임차 중이 아닙니다.', 'The holder does not pay monthly rent.'),
    deposit: text(`보증금이 ${won(maxDepositKrw)}원을 넘습니다.`, `The deposit is above ${won(maxDepositKrw)} KRW.`),
    rent: text(`월세가 ${won(maxMonthlyRentKrw)}원을 넘습니다.`, `The monthly rent is above ${won(maxMonthlyRentKrw)} KRW.`),
    notDisclosed: text('임차 형태, 보증금 또는 월세가 공개되지 않았습니다.', 'The tenure, deposit or monthly rent was not disclosed.'),
  } satisfies Record<string, LocalisedText>;
  const judge = (credential: PresentedCredential): { passed: boolean; reason: LocalisedText } => {
    const { tenure, depositKrw, monthlyRentKrw } = credential.claims;
    if (tenure === undefined) return { passed: false, reason: reasons.notDisclosed };
    if (tenure !== 'renting') return { passed: false, reason: reasons.notRenting };
    if (typeof depositKrw !== 'number' || typeof monthlyRentKrw !== 'number') return { passed: false, reason: reasons.notDisclosed };
    if (monthlyRentKrw <= 0) return { passed: false, reason: reasons.notRenting };
    if (depositKrw > maxDepositKrw) return { passed: false, reason: reasons.deposit };
    if (monthlyRentKrw > maxMonthlyRentKrw) return { passed: false, reason: reasons.rent };
    return { passed: true, reason: reasons.passed };
  };
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: RENTAL_STATUS, claims: Object.freeze(['tenure', 'depositKrw', 'monthlyRentKrw']) })]),
    evaluate: (credentials: readonly PresentedCredential[]) => judgeEachOfType(id, credentials, RENTAL_STATUS, NONE, judge),
  });
}
