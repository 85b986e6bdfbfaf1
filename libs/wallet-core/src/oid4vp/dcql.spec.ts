import { describe, expect, it } from 'vitest';
import { DcqlQueryError, matchDcqlQuery, readDcqlQuery, selectClaim, type DcqlQuery, type HeldCredential } from './dcql.js';
import { CITIZEN_CARD_VCT, testCitizenCard, testHolderKey, testJwtVc } from './test-credentials.js';

const holder = testHolderKey(1);

/** The queries the city's verifier makes from its policies (apps/verifier/src/oid4vp/dcql.ts). */
const ageOver19: DcqlQuery = {
  credentials: [
    {
      id: 'SeoulCitizenCard',
      format: 'dc+sd-jwt',
      meta: { vct_values: [CITIZEN_CARD_VCT] },
      claims: [
        { id: 'ageOver19', path: ['ageOver19'] },
        { id: 'birthDate', path: ['birthDate'] },
      ],
      claim_sets: [['ageOver19'], ['birthDate']],
    },
  ],
};
const workHistory: DcqlQuery = {
  credentials: [{ id: 'WorkExperience', format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', 'WorkExperience']] }, claims: [{ path: ['credentialSubject', 'employer'] }], multiple: true }],
};

describe('DCQL matching against held credentials', () => {
  let card: HeldCredential;
  let cardWithoutFlag: HeldCredential;
  let work: HeldCredential;

  const held = async () => {
    card ??= { id: 'card', encoded: await testCitizenCard(holder) };
    cardWithoutFlag ??= { id: 'card-birthdate-only', encoded: await testCitizenCard(holder, { name: '이민준', birthDate: '1990-02-01' }) };
    work ??= { id: 'work', encoded: await testJwtVc('WorkExperience', holder.did, { employer: '한강카페', role: '바리스타' }) };
    return { card, cardWithoutFlag, work };
  };

  it.each<[string, DcqlQuery, (h: Awaited<ReturnType<typeof held>>) => HeldCredential[], { satisfiable: boolean; candidates: string[]; claimSet?: number[]; disclose?: string[][] }]>([
    ['age-over-19 met by the flag: only ageOver19 is disclosed', ageOver19, (h) => [h.card], { satisfiable: true, candidates: ['card'], claimSet: [0], disclose: [['ageOver19']] }],
    ['age-over-19 met by the birth date when the card has no flag (second claim set)', ageOver19, (h) => [h.cardWithoutFlag], { satisfiable: true, candidates: ['card-birthdate-only'], claimSet: [1], disclose: [['birthDate']] }],
    ['each card with its most preferred set', ageOver19, (h) => [h.cardWithoutFlag, h.card], { satisfiable: true, candidates: ['card-birthdate-only', 'card'], claimSet: [1, 0], disclose: [['birthDate'], ['ageOver19']] }],
    ['a JWT VC for work history, shown whole', workHistory, (h) => [h.card, h.work], { satisfiable: true, candidates: ['work'], disclose: [[]] }],
    ['nothing held', ageOver19, () => [], { satisfiable: false, candidates: [] }],
    ['a card of another vct', { credentials: [{ ...ageOver19.credentials[0]!, meta: { vct_values: ['https://example.com/vct/Other'] } }] }, (h) => [h.card], { satisfiable: false, candidates: [] }],
    ['claims the citizen does not hold', { credentials: [{ id: 'q', format: 'dc+sd-jwt', claims: [{ path: ['nationalId'] }] }] }, (h) => [h.card, h.cardWithoutFlag], { satisfiable: false, candidates: [] }],
    ['one claim held and one not, without claim sets (all are needed)', { credentials: [{ id: 'q', format: 'dc+sd-jwt', claims: [{ path: ['ageOver19'] }, { path: ['passport'] }] }] }, (h) => [h.card], { satisfiable: false, candidates: [] }],
    ['a value that matches', { credentials: [{ id: 'q', format: 'dc+sd-jwt', claims: [{ path: ['residence', 'city'], values: ['서울특별시'] }] }] }, (h) => [h.card], { satisfiable: true, candidates: ['card'], disclose: [['residence']] }],
    ['a value that does not match', { credentials: [{ id: 'q', format: 'dc+sd-jwt', claims: [{ path: ['residence', 'city'], values: ['부산광역시'] }] }] }, (h) => [h.card], { satisfiable: false, candidates: [] }],
    ['a format this wallet does not present (mdoc)', { credentials: [{ id: 'q', format: 'mso_mdoc' }] }, (h) => [h.card, h.work], { satisfiable: false, candidates: [] }],
    ['no claims asked: any card of the type, nothing selectively disclosed', { credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: { vct_values: [CITIZEN_CARD_VCT] } }] }, (h) => [h.card], { satisfiable: true, candidates: ['card'], disclose: [[]] }],
  ])('%s', async (_label, query, pick, expected) => {
    const match = matchDcqlQuery(readDcqlQuery(query), pick(await held()));
    expect(match.satisfiable).toBe(expected.satisfiable);
    const candidates = match.queries[0]!.candidates;
    expect(candidates.map((c) => c.credential.id)).toEqual(expected.candidates);
    if (expected.claimSet) expect(candidates.map((c) => c.claimSetIndex)).toEqual(expected.claimSet);
    if (expected.disclose) expect(candidates.map((c) => c.disclose)).toEqual(expected.disclose);
  });

  it('shows the consent screen the values it would disclose, and marks a JWT VC as shown whole', async () => {
    const { card: c, work: w } = await held();
    const [cardMatch] = matchDcqlQuery(ageOver19, [c]).queries[0]!.candidates;
    expect(cardMatch).toMatchObject({ claims: [{ path: ['ageOver19'], value: true }], disclosesMore: false, extraPaths: [], wholeCredential: false });
    const [workMatch] = matchDcqlQuery(workHistory, [w]).queries[0]!.candidates;
    // A JWT VC goes whole: every subject claim is listed, and the one not asked for is named as more than asked.
    expect(workMatch).toMatchObject({
      requested: [{ path: ['credentialSubject', 'employer'], value: '한강카페' }],
      claims: [
        { path: ['credentialSubject', 'employer'], value: '한강카페' },
        { path: ['credentialSubject', 'role'], value: '바리스타' },
        { path: ['credentialSubject', 'id'], value: holder.did },
      ],
      disclosesMore: true,
      extraPaths: [['credentialSubject', 'role'], ['credentialSubject', 'id']],
      wholeCredential: true,
    });
  });

  it('honours credential_sets: an optional set does not make the query unanswerable; a required one picks the option held', async () => {
    const { card: c } = await held();
    const query: DcqlQuery = {
      credentials: [...ageOver19.credentials, ...workHistory.credentials],
      credential_sets: [{ options: [['SeoulCitizenCard']] }, { options: [['WorkExperience']], required: false }],
    };
    expect(matchDcqlQuery(readDcqlQuery(query), [c])).toMatchObject({ required: ['SeoulCitizenCard'], satisfiable: true });
    const either: DcqlQuery = { credentials: query.credentials, credential_sets: [{ options: [['WorkExperience'], ['SeoulCitizenCard']] }] };
    expect(matchDcqlQuery(readDcqlQuery(either), [c])).toMatchObject({ required: ['SeoulCitizenCard'], satisfiable: true });
    expect(matchDcqlQuery(readDcqlQuery(either), [])).toMatchObject({ required: ['WorkExperience'], satisfiable: false });
  });

  it('skips a stored credential that does not decode', async () => {
    const { card: c } = await held();
    expect(matchDcqlQuery(ageOver19, [{ id: 'broken', encoded: 'not-a-credential' }, c]).queries[0]!.candidates.map((x) => x.credential.id)).toEqual(['card']);
  });
});

describe('DCQL claims paths', () => {
  const data = { a: { b: [{ c: 1 }, { c: 2 }, { d: 3 }] }, flag: false };
  it.each<[string, Array<string | number | null>, unknown[]]>([
    ['a member', ['flag'], [false]],
    ['every element with null', ['a', 'b', null, 'c'], [1, 2]],
    ['an index', ['a', 'b', 1, 'c'], [2]],
    ['an index out of range', ['a', 'b', 5], []],
    ['a missing member', ['a', 'x'], []],
    ['a name applied to an array', ['a', 'b', 'c'], []],
  ])('%s', (_label, path, expected) => {
    expect(selectClaim(data, path)).toEqual(expected);
  });
});

describe('reading a DCQL query', () => {
  it.each<[string, unknown]>([
    ['not an object', 'x'],
    ['no credentials', { credentials: [] }],
    ['a repeated id', { credentials: [{ id: 'a', format: 'dc+sd-jwt' }, { id: 'a', format: 'dc+sd-jwt' }] }],
    ['an id with a space', { credentials: [{ id: 'a b', format: 'dc+sd-jwt' }] }],
    ['no format', { credentials: [{ id: 'a' }] }],
    ['an empty path', { credentials: [{ id: 'a', format: 'dc+sd-jwt', claims: [{ path: [] }] }] }],
    ['a negative index', { credentials: [{ id: 'a', format: 'dc+sd-jwt', claims: [{ path: ['x', -1] }] }] }],
    ['a claim set naming an unknown claim', { credentials: [{ id: 'a', format: 'dc+sd-jwt', claims: [{ id: 'x', path: ['x'] }], claim_sets: [['y']] }] }],
    ['a credential set naming an unknown query', { credentials: [{ id: 'a', format: 'dc+sd-jwt' }], credential_sets: [{ options: [['b']] }] }],
    ['values that are objects', { credentials: [{ id: 'a', format: 'dc+sd-jwt', claims: [{ path: ['x'], values: [{}] }] }] }],
  ])('refuses %s', (_label, query) => {
    expect(() => readDcqlQuery(query)).toThrow(DcqlQueryError);
  });
});
