import { credentialFormat, signCompactJws } from '@citycred/formats';
import { createTokenStatusList, STATUS_LIST_JWT_TYP, statusListTokenPayload, TokenStatus } from '@citycred/status-list';
import { describe, expect, it } from 'vitest';
import { CITIZEN_CARD_VCT, testHolderKey, testIssuer } from '../oid4vp/test-credentials.js';
import type { WalletTransport } from './http.js';
import { overallStatus, refreshCredentialStatuses, STATUS_LIST_REFRESH_MS, StatusListCache } from './status.js';

const LIST_URI = 'https://city.example/status-lists/token-1';
const issuer = testIssuer(7);
const holder = testHolderKey(3);

/** A citizen card whose status is entry `index` of the Token Status List at `uri`. */
async function cardAt(index: number, uri = LIST_URI): Promise<{ id: string; encoded: string }> {
  const signed = await credentialFormat('dc+sd-jwt').sign(
    {
      credential: { issuer: issuer.did, validFrom: '2026-01-01T00:00:00Z', credentialSubject: { ageOver18: true } },
      issuedAt: new Date('2026-01-01T00:00:00Z'),
      vct: CITIZEN_CARD_VCT,
      disclosable: ['ageOver18'],
      holderJwk: holder.jwk,
      tokenStatus: { uri, index },
    },
    issuer.signer,
  );
  return { id: `card-${index}`, encoded: signed.encoded };
}

/** An issuer serving its Token Status List (entry 2 revoked, 3 suspended) and counting what it was asked; `down` answers 503. */
function statusListIssuer() {
  const asked: string[] = [];
  let now = new Date('2026-11-30T09:00:00Z');
  let down = false;
  const transport: WalletTransport = {
    clock: { now: () => now },
    fetch: async (url) => {
      asked.push(url);
      if (down) return new Response('', { status: 503 });
      const list = createTokenStatusList(2, 16);
      list.set(2, TokenStatus.Invalid);
      list.set(3, TokenStatus.Suspended);
      const token = await signCompactJws({ alg: issuer.signer.alg, typ: STATUS_LIST_JWT_TYP, kid: issuer.signer.kid }, { ...statusListTokenPayload({ uri: url, issuedAt: now, list }) }, issuer.signer);
      return new Response(token, { status: 200, headers: { 'content-type': 'application/statuslist+jwt' } });
    },
  };
  return { transport, asked, later: (ms: number) => (now = new Date(now.getTime() + ms)), setDown: (value: boolean) => (down = value) };
}

describe('refreshing every card’s status', () => {
  it('fetches each list whole once for all the cards that name it, and answers each card with its state and time', async () => {
    const issuerSide = statusListIssuer();
    const cards = [await cardAt(1), await cardAt(2), await cardAt(3)];
    const refreshed = await refreshCredentialStatuses(cards, issuerSide.transport, new StatusListCache(issuerSide.transport));
    expect(issuerSide.asked).toEqual([LIST_URI]);
    expect(refreshed.map((card) => [card.id, card.status.state])).toEqual([
      ['card-1', 'valid'],
      ['card-2', 'revoked'],
      ['card-3', 'suspended'],
    ]);
    expect(refreshed[0]!.status.checkedAt).toBe('2026-11-30T09:00:00.000Z');
    // The records come back whole, with the new snapshot.
    expect(refreshed[1]!.encoded).toBe(cards[1]!.encoded);
  });

  it('asks a list again only once its interval has passed', async () => {
    const issuerSide = statusListIssuer();
    const kept = new StatusListCache(issuerSide.transport);
    const card = await cardAt(2);
    await refreshCredentialStatuses([card], issuerSide.transport, kept);
    issuerSide.later(STATUS_LIST_REFRESH_MS - 1);
    expect(await refreshCredentialStatuses([card, await cardAt(1)], issuerSide.transport, kept)).toHaveLength(2);
    expect(issuerSide.asked).toHaveLength(1);
    issuerSide.later(1);
    await refreshCredentialStatuses([card], issuerSide.transport, kept);
    expect(issuerSide.asked).toHaveLength(2);
  });

  it('leaves out a card whose list cannot be had, and does not keep the failure: the next refresh asks again', async () => {
    const issuerSide = statusListIssuer();
    const kept = new StatusListCache(issuerSide.transport);
    const card = await cardAt(2);
    issuerSide.setDown(true);
    expect(await refreshCredentialStatuses([card], issuerSide.transport, kept)).toEqual([]);
    issuerSide.setDown(false);
    expect((await refreshCredentialStatuses([card], issuerSide.transport, kept)).map((c) => c.status.state)).toEqual(['revoked']);
    expect(issuerSide.asked).toHaveLength(2);
  });

  it('leaves out a card without status entries and a record that is no credential', async () => {
    const issuerSide = statusListIssuer();
    const withoutStatus = await credentialFormat('dc+sd-jwt').sign(
      { credential: { issuer: issuer.did, credentialSubject: { ageOver18: true } }, issuedAt: new Date('2026-01-01T00:00:00Z'), vct: CITIZEN_CARD_VCT, disclosable: [], holderJwk: holder.jwk },
      issuer.signer,
    );
    const refreshed = await refreshCredentialStatuses([{ id: 'plain', encoded: withoutStatus.encoded }, { id: 'garbage', encoded: 'not a credential' }], issuerSide.transport, new StatusListCache(issuerSide.transport));
    expect(refreshed).toEqual([]);
    expect(issuerSide.asked).toEqual([]);
  });

  it('sums a card’s readings: revoked over suspended over unknown, valid only when all are', () => {
    expect(overallStatus([])).toBeUndefined();
    expect(overallStatus([{ status: 'valid' }, { status: 'valid' }])).toBe('valid');
    expect(overallStatus([{ status: 'valid' }, { status: 'unknown' }])).toBe('unknown');
    expect(overallStatus([{ status: 'suspended' }, { status: 'unknown' }])).toBe('suspended');
    expect(overallStatus([{ status: 'suspended' }, { status: 'revoked' }])).toBe('revoked');
  });
});
