/** The demo petition's title, by which a later start finds the one made at the first. */
export const DEMO_PETITION_TITLE = '한강공원 야간 조명 개선 주민감사청구';

const DEMO_PETITION = {
  title: DEMO_PETITION_TITLE,
  description:
    '한강공원 산책로의 야간 조명 개선 사업이 계획대로 집행되었는지 감사를 청구합니다. 서울시에 사는 만 19세 이상 주민이 시민카드로 서명할 수 있습니다. ' +
    '(Demo resident audit claim: Seoul residents aged 19 or over sign it with their citizen card.)',
  threshold: 3,
} as const;

/** How long after the first start the demo petition's deadline falls. */
export const DEMO_PETITION_DAYS = 7;

/** The demo petition at the verifier: its id and its public page. */
export interface DemoPetition {
  id: string;
  pageUrl: string;
}

/**
 * The demo petition (docs/petitions.md): the one a previous start opened, found by its title among the verifier's
 * petitions (open or closed), else a new one opened with the demo official's key — threshold 3, deadline
 * {@link DEMO_PETITION_DAYS} days after `now`.
 * @param verifierUrl - the verifier started here
 * @param adminKey - a key of the verifier's `PETITION_ADMIN_KEYS`
 * @throws Error when the verifier answers otherwise than as documented
 */
export async function seedDemoPetition(verifierUrl: string, adminKey: string, now: Date): Promise<DemoPetition> {
  const found = await fetch(`${verifierUrl}/petitions`, { headers: { accept: 'application/json' } });
  if (found.status !== 200) throw new Error(`GET /petitions answered ${found.status}`);
  const { petitions } = (await found.json()) as { petitions: Array<{ id: string; title: string }> };
  const existing = petitions.find((petition) => petition.title === DEMO_PETITION_TITLE);
  if (existing) return { id: existing.id, pageUrl: `${verifierUrl}/petitions/${existing.id}` };
  const deadline = new Date(now.getTime() + DEMO_PETITION_DAYS * 24 * 60 * 60 * 1000).toISOString();
  const opened = await fetch(`${verifierUrl}/petitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({ ...DEMO_PETITION, deadline }),
  });
  if (opened.status !== 201) throw new Error(`POST /petitions answered ${opened.status}`);
  const { id } = (await opened.json()) as { id: string };
  return { id, pageUrl: `${verifierUrl}/petitions/${id}` };
}
