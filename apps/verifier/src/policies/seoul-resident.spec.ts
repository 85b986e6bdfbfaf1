import { describe, expect, it } from 'vitest';
import type { PresentedCredential } from './model.js';
import { seoulResidentPolicy } from './seoul-resident.js';

const AT = new Date('2026-05-01T00:00:00+09:00');

function card(claims: Record<string, unknown>, hash = `0x${'a'.repeat(64)}`, type = 'SeoulCitizenCard'): PresentedCredential {
  return { hash, type, issuer: 'did:ethr:0x1111111111111111111111111111111111111111', claims, issuedAt: new Date('2020-01-01T00:00:00Z'), validUntil: null };
}

const LIVES_IN_SEOUL = { ko: '서울특별시에 거주합니다.', en: 'The holder lives in Seoul.' };
const ELSEWHERE = { ko: '서울특별시 거주자가 아닙니다.', en: 'The holder does not live in Seoul.' };
const NOT_DISCLOSED = { ko: '거주지가 공개되지 않았습니다.', en: 'The residence was not disclosed.' };

describe('seoul-resident', () => {
  it.each([
    ['a Seoul district', { residence: { city: '서울특별시', district: '마포구' } }, 'passed', LIVES_IN_SEOUL],
    ['another metropolitan city', { residence: { city: '부산광역시', district: '해운대구' } }, 'failed', ELSEWHERE],
    ['the province around Seoul', { residence: { city: '경기도', district: '수원시 팔달구' } }, 'failed', ELSEWHERE],
    ['Seoul written another way', { residence: { city: 'Seoul', district: 'Mapo-gu' } }, 'failed', ELSEWHERE],
    ['residence not disclosed', { ageOver19: true }, 'failed', NOT_DISCLOSED],
    ['residence without a city', { residence: { district: '마포구' } }, 'failed', NOT_DISCLOSED],
    ['residence as a string', { residence: '서울특별시 마포구' }, 'failed', NOT_DISCLOSED],
    ['residence null', { residence: null }, 'failed', NOT_DISCLOSED],
  ] as const)('%s: %s', (_, claims, result, reason) => {
    const decision = seoulResidentPolicy().evaluate([card(claims)], AT);
    expect(decision).toEqual({
      policy: { id: 'seoul-resident', version: '1' },
      satisfied: result === 'passed',
      criteria: [{ id: 'seoul-resident', result, reason, evidenceHash: `0x${'a'.repeat(64)}` }],
    });
  });

  it('fails with no evidence when no citizen card is presented', () => {
    const other = card({ residence: { city: '서울특별시', district: '마포구' } }, `0x${'c'.repeat(64)}`, 'EnrollmentStatus');
    expect(seoulResidentPolicy().evaluate([other], AT).criteria).toEqual([
      { id: 'seoul-resident', result: 'failed', reason: { ko: '서울시민카드가 제시되지 않았습니다.', en: 'No Seoul citizen card was presented.' }, evidenceHash: null },
    ]);
  });

  it('relies on the card that shows Seoul when two are presented', () => {
    const busan = card({ residence: { city: '부산광역시', district: '해운대구' } });
    const seoul = card({ residence: { city: '서울특별시', district: '노원구' } }, `0x${'b'.repeat(64)}`);
    expect(seoulResidentPolicy().evaluate([busan, seoul], AT).criteria[0]).toMatchObject({ result: 'passed', evidenceHash: `0x${'b'.repeat(64)}` });
  });

  it('asks for the residence only', () => {
    expect(seoulResidentPolicy().requires).toEqual([{ type: 'SeoulCitizenCard', claims: ['residence'] }]);
  });
});
