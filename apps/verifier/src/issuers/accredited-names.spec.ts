import { credentialTypeHash } from '@citycred/anchors';
import { FixedClock } from '@citycred/config';
import type { DirectoryIssuer, IssuerDirectory } from '@citycred/credentials';
import { AppError, ErrorCode } from '@citycred/errors';
import { describe, expect, it } from 'vitest';
import { AccreditedIssuerNames, directoryByAddress } from './accredited-names.js';
import type { DirectoryReading } from './issuer-directory-source.js';

/*
 * Which names the verifier shows: the directory's entries whose address the chain accredits now for one of the types
 * the directory lists for it. The chain and the directory are plain fakes; the class is pure bookkeeping over them.
 */

const CITY = '0x1111111111111111111111111111111111111111';
const CAFE = '0x2222222222222222222222222222222222222222';
const LIAR = '0x3333333333333333333333333333333333333333';
/** A compressed secp256k1 key (the generator point) and the address it hashes to. */
const KEY_FORM = 'did:ethr:citycred:0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
const KEY_ADDRESS = '0x7e5f4552091a69125d5dfcb7b8c2659029395bdf';

const entry = (address: string, slug: string, types: string[], did = `did:ethr:citycred:${address}`): DirectoryIssuer => ({
  did,
  address,
  slug,
  kind: 'department',
  name: { ko: `${slug} 한국어`, en: null },
  credentialTypes: types,
  statusLists: { bitstring: { revocation: [], suspension: [] }, token: [] },
});

const DIRECTORY: IssuerDirectory = {
  version: 1,
  issuers: [
    entry(CITY, 'seoul-citizen', ['SeoulCitizenCard']),
    entry(CAFE, 'hangang-cafe', ['LaborContract']),
    // Claims the city's address with another DID: dropped.
    entry(CITY, 'impostor', ['SeoulCitizenCard'], `did:ethr:citycred:${LIAR}`),
    // Never accredited on chain.
    entry(LIAR, 'liar', ['SeoulCitizenCard']),
    entry(KEY_ADDRESS, 'key-form', ['EnrollmentStatus'], KEY_FORM),
  ],
};

function sources(options: { accredited: Array<[string, string]>; reading?: DirectoryReading | undefined; chainDown?: () => boolean }) {
  const clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
  const asked: Array<[string, string]> = [];
  const everAccredited = new Map<string, Set<string>>();
  for (const [address, type] of options.accredited) everAccredited.set(address, new Set([...(everAccredited.get(address) ?? []), credentialTypeHash(type).toLowerCase()]));
  everAccredited.set(CAFE, new Set([credentialTypeHash('LaborContract').toLowerCase()]));
  const down = options.chainDown ?? (() => false);
  const outage = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const reading = 'reading' in options ? options.reading : { directory: DIRECTORY, fetchedAt: clock.now(), stale: false };
  return {
    clock,
    asked,
    sources: {
      clock,
      directory: { current: async () => reading },
      issuers: {
        candidates: async () => {
          if (down()) throw outage();
          return { head: { number: 42, hash: '0xhead', timestamp: 1 }, types: everAccredited };
        },
      },
      ledger: {
        isAccredited: async (address: string, type: string) => {
          if (down()) throw outage();
          asked.push([address, type]);
          return options.accredited.some(([a, t]) => a === address && t === type);
        },
        isUp: async () => !down(),
      },
    },
  };
}

describe('the accredited issuers’ names', () => {
  it('names only addresses the chain accredits now, for a type the directory lists, whose DID names that address', async () => {
    // The cafe was accredited once (an event names it) and is not now.
    const { sources: s, asked, clock } = sources({ accredited: [[CITY, 'SeoulCitizenCard'], [KEY_ADDRESS, 'EnrollmentStatus']] });
    const answer = await new AccreditedIssuerNames(s, 'citycred').current();
    expect(answer).toEqual({
      didNetwork: 'citycred',
      readAt: clock.now().toISOString(),
      block: 42,
      directoryFetchedAt: clock.now().toISOString(),
      issuers: [
        { did: `did:ethr:citycred:${CITY}`, address: CITY, kind: 'department', name: { ko: 'seoul-citizen 한국어', en: null } },
        { did: KEY_FORM, address: KEY_ADDRESS, kind: 'department', name: { ko: 'key-form 한국어', en: null } },
      ],
    });
    // The liar is never asked about: no accreditation event names it.
    expect(asked.map(([address]) => address).sort()).toEqual([CITY, CAFE, KEY_ADDRESS].sort());
  });

  it('keeps the first of two entries for one address and drops DIDs of other networks', () => {
    const byAddress = directoryByAddress({ version: 1, issuers: [...DIRECTORY.issuers, entry(CAFE, 'elsewhere', [], `did:ethr:other:${CAFE}`)] }, 'citycred');
    expect([...byAddress.keys()]).toEqual([CITY, CAFE, LIAR, KEY_ADDRESS]);
    expect(byAddress.get(CITY)!.slug).toBe('seoul-citizen');
    expect(byAddress.get(CAFE)!.slug).toBe('hangang-cafe');
  });

  it('hands out one answer for a minute, the last one while the chain is down, and 503 with none', async () => {
    let down = false;
    const { sources: s, asked, clock } = sources({ accredited: [[CITY, 'SeoulCitizenCard']], chainDown: () => down });
    const names = new AccreditedIssuerNames(s, 'citycred');
    const first = await names.current();
    const calls = asked.length;
    clock.advance(59_000);
    expect(await names.current()).toBe(first);
    expect(asked).toHaveLength(calls);
    clock.advance(2_000);
    down = true;
    expect(await names.current()).toBe(first);
    // Not asked again for 10 s, then read anew once the chain answers.
    down = false;
    const before = asked.length;
    clock.advance(9_000);
    expect(await names.current()).toBe(first);
    expect(asked).toHaveLength(before);
    clock.advance(1_000);
    const next = await names.current();
    expect(next).not.toBe(first);
    expect(next.readAt).toBe(clock.now().toISOString());

    const fresh = sources({ accredited: [], chainDown: () => true });
    const error = await new AccreditedIssuerNames(fresh.sources, 'citycred').current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.ServiceUnavailable);
    expect((error as AppError).message).toContain('chain');
  });

  it('is 503 while the issuer has never answered its directory', async () => {
    const { sources: s } = sources({ accredited: [[CITY, 'SeoulCitizenCard']], reading: undefined });
    const error = await new AccreditedIssuerNames(s, 'citycred').current().catch((e: unknown) => e);
    expect((error as AppError).code).toBe(ErrorCode.ServiceUnavailable);
    expect((error as AppError).message).toContain('directory');
  });
});
