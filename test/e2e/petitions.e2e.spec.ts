import { createHash, randomBytes } from 'node:crypto';
import { buildMerkleTree, rootFromProof, type Hex32 } from '@citycred/anchoring';
import { credentialAnchorAt } from '@citycred/anchors';
import { FixedClock } from '@citycred/config';
import { presentSdJwt } from '@citycred/formats';
import { fetchPresentationRequest, Oid4vpError, Oid4vpErrorCode, parsePresentationRequestLink, postResponse, verifierRefusalText } from '@citycred/wallet-core';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, getJson, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { walletKey, type WalletKey } from '../support/wallet.js';

/*
 * Resident audit claims (docs/petitions.md): an official opens a petition, demo residents sign it from their wallets
 * (this test plays the wallet: it fetches the request object and presents the SD-JWT citizen card with a KB-JWT), each
 * person counts once, the refusals say why, and the closed petition publishes a tally anyone recomputes from its
 * leaf list, whose digest the verifier's outbox hands to the city issuer's anchoring (ADR 0015) and reports anchored.
 */

const ADMIN_KEY = `petition-admin-${randomBytes(16).toString('hex')}`;
const sha256 = (text: string) => `0x${createHash('sha256').update(text, 'utf8').digest('hex')}`;

interface Resident {
  key: WalletKey;
  card: string;
  personId: string;
}

describe('petitions signed with the citizen card', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    p = await startTestPlatform('petitions', { clock, verifierEnv: { STATUS_LIST_MAX_CACHE_SECONDS: '0', PETITION_ADMIN_KEYS: `audit-office=${ADMIN_KEY}`, PETITION_CLOSE_INTERVAL_MS: '0' } });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
  });
  afterAll(async () => {
    await p?.stop();
  });

  /** Issues an SD-JWT citizen card to a new wallet key (a distinct demo resident unless `personId` is given). */
  async function resident(subject: Record<string, unknown> = {}, key = walletKey()): Promise<Resident> {
    const city = p.tenants.get('seoul-citizen')!;
    const personId = typeof subject['personId'] === 'string' ? subject['personId'] : crypto.randomUUID();
    const res = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(city.did, 'SeoulCitizenCard', { ...citizenCardSubject, ...subject, personId }, { options: { format: 'dc+sd-jwt', holderJwk: key.jwk } }), {
      authorization: `Bearer ${city.apiKey}`,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { key, personId, card: String(res.body.verifiableCredential.id).slice('data:application/dc+sd-jwt,'.length) };
  }

  async function openPetition(threshold: number, deadline = new Date(clock.now().getTime() + 24 * 3600 * 1000)) {
    const res = await postJson(`${p.verifier.url}/petitions`, { title: '○○구청 예산 집행 감사 청구', description: '2025년 도로 보수 예산의 집행을 감사해 주십시오.\n주민 일동', threshold, deadline: deadline.toISOString() }, admin);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; state: string; count: number; threshold: number; deadline: string };
  }

  /** The signer's browser makes a request; the wallet answers it with the card, disclosing what the request asks. */
  async function sign(petitionId: string, who: Resident) {
    const created = await postJson(`${p.verifier.url}/petitions/${petitionId}/signature-requests`, {});
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { requestId, requestLink, walletLink } = created.body as { requestId: string; requestLink: string; walletLink: string };
    const link = new URL(requestLink);
    const clientId = link.searchParams.get('client_id')!;
    const request = decodeJwt(await (await fetch(link.searchParams.get('request_uri')!)).text()) as Record<string, any>;
    const query = request['dcql_query'].credentials[0];
    const disclose: string[] = (query.claims ?? []).map((c: { path: string[] }) => c.path[0]);
    const presentation = await presentSdJwt(who.card, { disclose, kb: { signer: who.key.signer, nonce: request['nonce'], aud: clientId, iat: clock.now() } });
    const answer = await fetch(request['response_uri'], {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ [query.id]: [presentation] }), state: request['state'] }).toString(),
    });
    // A processed response is answered 200 (OpenID4VP 1.0 §8.2): `{}` once signed, the refusal and its reason otherwise.
    expect(answer.status).toBe(200);
    const answered = (await answer.json()) as Record<string, unknown>;
    const status = await getJson(`${p.verifier.url}/petitions/${petitionId}/signature-requests/${requestId}`);
    expect(status.status).toBe(200);
    return { status: status.body, answered, query, disclose, walletLink, request, presentation };
  }

  const petition = async (id: string) => (await getJson(`${p.verifier.url}/petitions/${id}`)).body;

  it('only an official with a key opens a petition; anyone reads it', async () => {
    const body = { title: 't', description: 'd', threshold: 1, deadline: new Date(clock.now().getTime() + 3600_000).toISOString() };
    const none = await postJson(`${p.verifier.url}/petitions`, body);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('auth.missing-api-key');
    const wrong = await postJson(`${p.verifier.url}/petitions`, body, { authorization: `Bearer ${'x'.repeat(40)}` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('auth.invalid-api-key');
    for (const bad of [{ ...body, threshold: 0 }, { ...body, deadline: 'tomorrow' }, { ...body, deadline: new Date(clock.now().getTime() - 1000).toISOString() }, { ...body, extra: 1 }, { ...body, title: '' }]) {
      const res = await postJson(`${p.verifier.url}/petitions`, bad, admin);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.code).toBe('request.invalid');
    }
    const opened = await openPetition(5);
    expect(opened).toMatchObject({ state: 'open', count: 0, threshold: 5 });
    expect((await getJson(`${p.verifier.url}/petitions`)).body.petitions.map((x: { id: string }) => x.id)).toContain(opened.id);
    expect((await getJson(`${p.verifier.url}/petitions/00000000-0000-4000-8000-000000000000`)).body.code).toBe('petition.not-found');
    // A browser navigating to it gets the page, under a strict CSP.
    const page = await fetch(`${p.verifier.url}/petitions/${opened.id}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(await page.text()).toContain('/petitions/assets/');
    // The tally is published only once closed.
    expect((await getJson(`${p.verifier.url}/petitions/${opened.id}/signatures`)).body.code).toBe('petition.open');
  });

  it('reaches its threshold with distinct residents, refuses a second signature by the same person, under 19 and a revoked card, and publishes a tally anyone recomputes', async () => {
    const opened = await openPetition(3);
    const residents = await Promise.all([resident(), resident({ residence: { city: '서울특별시', district: '강남구' } }), resident()]);
    const young = await resident({ birthDate: '2012-05-05', ageOver15: false, ageOver18: false, ageOver19: false });
    const revoked = await resident();
    // The same person as the first resident, with a new card in another wallet.
    const sameWithNewCard = await resident({ personId: residents[0]!.personId });
    await p.worker.runOnce();

    const leaves: string[] = [];
    for (const [index, who] of residents.entries()) {
      const signed = await sign(opened.id, who);
      expect(signed.status, JSON.stringify(signed.status)).toMatchObject({ state: 'signed', leafHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
      leaves.push(signed.status.leafHash);
      expect(signed.answered).toEqual({});
      // Only what the petition needs is asked and disclosed: never the name, birth date or district alone.
      expect(signed.disclose.sort()).toEqual(['ageOver19', 'personId', 'residence']);
      expect(signed.query).toMatchObject({ id: 'SeoulCitizenCard', format: 'dc+sd-jwt' });
      expect(signed.walletLink.length).toBeGreaterThan(0);
      expect((await petition(opened.id)).count).toBe(index + 1);
    }
    expect(await petition(opened.id)).toMatchObject({ count: 3, thresholdReached: true, state: 'open' });

    // The same person again — with the same card, or another card of theirs: refused, without saying who.
    for (const who of [residents[0]!, sameWithNewCard]) {
      const again = await sign(opened.id, who);
      expect(again.status).toMatchObject({ state: 'refused', code: 'petition.already-signed', reason: { en: expect.stringMatching(/already signed/) } });
      expect(JSON.stringify(again.status)).not.toContain(who.personId);
      // The wallet is told too, in both languages — not a bare success.
      expect(again.answered).toEqual({ error: 'access_denied', error_description: again.status.reason.en, 'error_description#ko': again.status.reason.ko });
      expect(JSON.stringify(again.answered)).not.toContain(who.personId);
    }
    // The wallet core, answering a third time, tells the citizen the verifier refused and why.
    {
      const created = await postJson(`${p.verifier.url}/petitions/${opened.id}/signature-requests`, {});
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const transport = { fetch: (url: string, init?: RequestInit) => fetch(url, init), clock, allowInsecureHttp: true };
      const request = await fetchPresentationRequest(parsePresentationRequestLink(created.body.requestLink, true), transport);
      const query = request.query.credentials[0]!;
      const disclose = (query.claims ?? []).map((c) => String(c.path[0]));
      const presentation = await presentSdJwt(sameWithNewCard.card, { disclose, kb: { signer: sameWithNewCard.key.signer, nonce: request.nonce, aud: request.clientId, iat: clock.now() } });
      const told = await postResponse(request, { vp_token: { [query.id]: [presentation] } }, transport).catch((error: unknown) => error);
      expect(told).toBeInstanceOf(Oid4vpError);
      expect(told).toMatchObject({ code: Oid4vpErrorCode.VerifierRefused, status: 200, oauthError: 'access_denied' });
      expect(verifierRefusalText(told as Oid4vpError, 'ko')).toBe('요청한 곳에서 거절했습니다: 이미 이 청구에 서명했습니다. 한 사람은 한 번만 서명할 수 있습니다.');
      expect(verifierRefusalText(told as Oid4vpError, 'en')).toBe('The verifier refused: You have already signed this claim: each person signs once.');
    }
    // Under 19: refused with the reason.
    const underage = await sign(opened.id, young);
    expect(underage.status).toMatchObject({ state: 'refused', code: 'petition.not-eligible', reason: { en: expect.stringMatching(/under 19/) } });
    expect(underage.answered).toMatchObject({ error: 'access_denied', error_description: expect.stringMatching(/under 19/) });
    // A revoked card: refused.
    const city = p.tenants.get('seoul-citizen')!;
    const payload = decodeJwt(revoked.card.split('~')[0]!);
    const revocation = await postJson(`${p.issuer.url}/credentials/status`, { credentialId: payload['jti'] ?? payload['id'], credentialStatus: { type: 'TokenStatusList', statusPurpose: 'revocation' }, status: true }, { authorization: `Bearer ${city.apiKey}` });
    expect(revocation.status, JSON.stringify(revocation.body)).toBe(200);
    await p.worker.runOnce();
    const refusedRevoked = await sign(opened.id, revoked);
    expect(refusedRevoked.status).toMatchObject({ state: 'refused', code: 'petition.card-revoked' });
    expect((await petition(opened.id)).count).toBe(3);

    // The database holds pseudonyms, times and leaf hashes: no personId, name or address.
    const stored = JSON.stringify(await p.verifier.runtime.dataSource.query('SELECT * FROM petition_signatures'));
    for (const who of residents) expect(stored).not.toContain(who.personId);
    for (const personal of [citizenCardSubject.name, '마포구', '강남구', '서울특별시', citizenCardSubject.birthDate]) expect(stored).not.toContain(personal);

    // The deadline passes; the repeating task's run closes it (the task is off here: its run is called).
    clock.set(new Date(new Date(opened.deadline).getTime() + 1000));
    expect(await p.verifier.runtime.petitions.service.closeDue()).toBeGreaterThanOrEqual(1);
    const closed = await petition(opened.id);
    expect(closed).toMatchObject({ state: 'closed', count: 3, result: { count: 3, closedBy: 'deadline' } });
    // The tally digest is in the verifier's digest outbox (ADR 0015), waiting for its run: not anchored, and not said to be.
    expect(closed.result.anchoring).toMatchObject({ state: 'pending', submitted: false });
    expect(await p.verifier.runtime.digestAnchoring.status(closed.result.tallyDigest)).toMatchObject({ state: 'pending', kind: 'petition-tally' });
    const late = await postJson(`${p.verifier.url}/petitions/${opened.id}/signature-requests`, {});
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('petition.closed');

    // Anyone recomputes the count, the root and the digest from the public list, independently of the verifier's code.
    const published = (await getJson(`${p.verifier.url}/petitions/${opened.id}/signatures`)).body;
    expect(published.leaves).toHaveLength(3);
    expect(new Set(published.leaves).size).toBe(3);
    expect([...published.leaves].sort()).toEqual([...leaves].sort());
    const root = buildMerkleTree(published.leaves as Hex32[]).root;
    expect(root).toBe(closed.result.root);
    const statement = JSON.stringify({ petitionId: opened.id, count: published.leaves.length, root, closedAt: closed.result.closedAt });
    expect(published.statement).toBe(statement);
    expect(sha256(statement)).toBe(closed.result.tallyDigest);
    expect(published.digest).toBe(closed.result.tallyDigest);

    // The outbox hands the digest to the city issuer (`POST /anchors/digests`), whose anchoring worker anchors it; the
    // petition then reads anchored, with the block and time, and its proof checks against the chain independently.
    // (The first test's petition, closed at the same deadline, has its tally handed over too.)
    const outboxRun = await p.verifier.runtime.digestAnchoring.runOnce();
    expect(outboxRun).toMatchObject({ submitted: expect.any(Number), retrying: 0, failed: 0 });
    expect(outboxRun.submitted).toBeGreaterThanOrEqual(1);
    expect((await petition(opened.id)).result.anchoring).toMatchObject({ state: 'pending', submitted: true });
    // (A day passed on the test's clock: the issuer reads its accreditation again, as its poller would have.)
    await p.accreditations.refresh();
    const workerRun = await p.worker.runOnce();
    expect(workerRun.anchored, JSON.stringify(workerRun)).toBeGreaterThanOrEqual(1);
    const anchored = (await petition(opened.id)).result.anchoring;
    expect(anchored).toMatchObject({ state: 'anchored', block: expect.any(Number), time: expect.any(String), issuerDid: city.did, contract: p.deployment.credentialAnchor });
    const block = await p.provider.getBlock(anchored.block);
    expect(anchored.time).toBe(new Date(block!.timestamp * 1000).toISOString());
    // The digest anchored is the one recomputed above from the public list, and it folds to the anchored batch root.
    expect(rootFromProof(sha256(statement) as Hex32, anchored.proof as Hex32[])).toBe(anchored.batchRoot);
    const onChain = await credentialAnchorAt(p.deployment.credentialAnchor, p.provider).anchorOf(city.address, anchored.batchRoot);
    expect(Number(onChain.blockNumber)).toBe(anchored.block);
    expect(Number(onChain.anchoredAt)).toBe(block!.timestamp);
  });

  it('an official closes a petition early; nobody signed: count 0, no root; closing again answers the same', async () => {
    const opened = await openPetition(10);
    expect((await postJson(`${p.verifier.url}/petitions/${opened.id}/close`, {})).status).toBe(401);
    const closed = await postJson(`${p.verifier.url}/petitions/${opened.id}/close`, {}, admin);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', count: 0, result: { count: 0, root: null, closedBy: 'official' } });
    const again = await postJson(`${p.verifier.url}/petitions/${opened.id}/close`, {}, admin);
    expect(again.body.result).toEqual(closed.body.result);
    expect((await getJson(`${p.verifier.url}/petitions/${opened.id}/signatures`)).body).toMatchObject({ count: 0, root: null, leaves: [] });
    const unknownRequest = await getJson(`${p.verifier.url}/petitions/${opened.id}/signature-requests/00000000-0000-4000-8000-000000000000`);
    expect(unknownRequest.status).toBe(404);
    expect(unknownRequest.body.code).toBe('petition.request-not-found');
  });
});
