import { parseIssuerDirectory } from '@citycred/credentials';
import { describe, expect, it } from 'vitest';
import { buildIssuerDirectory, type DirectoryTenant } from './issuer-directory.js';

const tenant = (slug: string, id: string, types: string[], extra: Partial<DirectoryTenant> = {}): DirectoryTenant => ({
  id,
  slug,
  name: `${slug} 이름`,
  nameEn: null,
  kind: 'department',
  did: `did:ethr:citycred:0x03${id.repeat(64).slice(0, 64)}`,
  address: `0x${id.repeat(40).slice(0, 40)}`,
  credentialTypes: types,
  ...extra,
});

describe('the issuer directory', () => {
  it('lists the tenants that issue by slug, with names, types and every list, oldest first by kind and purpose', () => {
    const city = tenant('seoul-citizen', 'a', ['SeoulCitizenCard'], { nameEn: 'Seoul Citizen Card Office' });
    const cafe = tenant('hangang-cafe', 'b', ['LaborContract', 'WorkExperience'], { kind: 'employer' });
    const idle = tenant('no-types', 'c', []);
    const list = (tenantId: string, kind: 'bitstring' | 'token', purpose: 'revocation' | 'suspension' | 'status', seq: number) => ({
      tenantId,
      kind,
      purpose,
      seq,
      url: `https://issuer.example/status-lists/${tenantId}-${kind}-${purpose}-${seq}`,
    });
    const directory = buildIssuerDirectory(
      [city, idle, cafe],
      [list('a', 'bitstring', 'revocation', 1), list('a', 'bitstring', 'revocation', 0), list('a', 'bitstring', 'suspension', 0), list('a', 'token', 'status', 0), list('c', 'token', 'status', 0)],
    );
    expect(directory.version).toBe(1);
    expect(directory.issuers.map((i) => i.slug)).toEqual(['hangang-cafe', 'seoul-citizen']);
    const [first, second] = directory.issuers;
    expect(first).toEqual({
      did: cafe.did,
      address: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB',
      slug: 'hangang-cafe',
      kind: 'employer',
      name: { ko: 'hangang-cafe 이름', en: null },
      credentialTypes: ['LaborContract', 'WorkExperience'],
      statusLists: { bitstring: { revocation: [], suspension: [] }, token: [] },
    });
    expect(second!.name).toEqual({ ko: 'seoul-citizen 이름', en: 'Seoul Citizen Card Office' });
    expect(second!.statusLists).toEqual({
      bitstring: {
        revocation: ['https://issuer.example/status-lists/a-bitstring-revocation-0', 'https://issuer.example/status-lists/a-bitstring-revocation-1'],
        suspension: ['https://issuer.example/status-lists/a-bitstring-suspension-0'],
      },
      token: ['https://issuer.example/status-lists/a-token-status-0'],
    });
    // What readers check it against accepts it.
    expect(parseIssuerDirectory(JSON.parse(JSON.stringify(directory)))).toEqual(directory);
  });

  it('is refused by readers when it is another version or an issuer lacks its names', () => {
    expect(parseIssuerDirectory({ version: 2, issuers: [] })).toEqual({ error: expect.stringContaining('version') });
    const directory = buildIssuerDirectory([tenant('seoul-citizen', 'a', ['SeoulCitizenCard'])], []);
    const nameless = { ...directory, issuers: [{ ...directory.issuers[0], name: { en: 'x' } }] };
    expect(parseIssuerDirectory(nameless)).toEqual({ error: expect.stringContaining('issuers.0.name.ko') });
    expect(parseIssuerDirectory('not json')).toHaveProperty('error');
  });
});
