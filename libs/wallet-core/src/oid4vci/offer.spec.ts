import { describe, expect, it } from 'vitest';
import { Oid4vciErrorCode } from './errors.js';
import { wellKnownUrl } from './metadata.js';
import { checkTxCode, parseCredentialOfferLink, PRE_AUTHORIZED_CODE_GRANT, resolveCredentialOffer } from './offer.js';

const ISSUER = 'https://city.example/oid4vci/seoul-citizen';
const offer = (patch: Record<string, unknown> = {}) => ({
  credential_issuer: ISSUER,
  credential_configuration_ids: ['SeoulCitizenCard_dc_sd_jwt'],
  grants: { [PRE_AUTHORIZED_CODE_GRANT]: { 'pre-authorized_code': 'code-1', tx_code: { input_mode: 'numeric', length: 6, description: '문자로 받은 번호' } } },
  ...patch,
});
const byValue = (value: unknown) => `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(value))}`;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('reading a scanned credential offer', () => {
  it('reads an offer by value with its transaction code', () => {
    expect(parseCredentialOfferLink(`  ${byValue(offer())}\n`)).toEqual({
      kind: 'by-value',
      offer: {
        credentialIssuer: ISSUER,
        credentialConfigurationIds: ['SeoulCitizenCard_dc_sd_jwt'],
        preAuthorizedCode: 'code-1',
        txCode: { inputMode: 'numeric', length: 6, description: '문자로 받은 번호' },
      },
    });
  });

  it('reads an offer by reference, in the custom scheme and as an https link', () => {
    const uri = 'https://city.example/oid4vci/offers/2b1c';
    expect(parseCredentialOfferLink(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent(uri)}`)).toEqual({ kind: 'by-reference', uri });
    expect(parseCredentialOfferLink(`https://wallet.city.example/offer?credential_offer_uri=${encodeURIComponent(uri)}`)).toEqual({ kind: 'by-reference', uri });
  });

  it('takes plain http only on the loopback address (or when told to)', () => {
    const local = 'http://127.0.0.1:3001/oid4vci/offers/1';
    expect(parseCredentialOfferLink(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent(local)}`)).toMatchObject({ kind: 'by-reference' });
    const lan = 'http://10.0.0.5:3001/oid4vci/offers/1';
    expect(codeOf(() => parseCredentialOfferLink(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent(lan)}`))).toBe(Oid4vciErrorCode.OfferMalformed);
    expect(parseCredentialOfferLink(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent(lan)}`, true)).toMatchObject({ kind: 'by-reference' });
  });

  it.each<[string, string, string]>([
    ['a presentation request', 'openid4vp://?client_id=decentralized_identifier%3Adid%3Ajwk%3Ax&request_uri=https%3A%2F%2Fv.example%2Fr', Oid4vciErrorCode.OfferForeign],
    ['a web page', 'https://www.seoul.go.kr/', Oid4vciErrorCode.OfferForeign],
    ['the scanner code of a presentation', 'citycred-vp:eyJhbGciOiJFUzI1NksifQ.e30.x~', Oid4vciErrorCode.OfferForeign],
    ['plain text', '안녕하세요', Oid4vciErrorCode.OfferForeign],
    ['an offer link with neither parameter', 'openid-credential-offer://?foo=bar', Oid4vciErrorCode.OfferMalformed],
    ['both parameters', `${byValue(offer())}&credential_offer_uri=https%3A%2F%2Fcity.example%2Fo`, Oid4vciErrorCode.OfferMalformed],
    ['a repeated parameter', `${byValue(offer())}&credential_offer=${encodeURIComponent(JSON.stringify(offer()))}`, Oid4vciErrorCode.OfferMalformed],
    ['JSON that does not parse', 'openid-credential-offer://?credential_offer=%7Bnot-json', Oid4vciErrorCode.OfferMalformed],
    ['an offer URI with another scheme', 'openid-credential-offer://?credential_offer_uri=ftp%3A%2F%2Fcity.example%2Fo', Oid4vciErrorCode.OfferMalformed],
    ['an issuer that is not https', byValue(offer({ credential_issuer: 'http://city.example/oid4vci/x' })), Oid4vciErrorCode.OfferMalformed],
    ['no configuration ids', byValue(offer({ credential_configuration_ids: [] })), Oid4vciErrorCode.OfferMalformed],
    ['a repeated configuration id', byValue(offer({ credential_configuration_ids: ['a', 'a'] })), Oid4vciErrorCode.OfferMalformed],
    ['an authorization code grant only', byValue(offer({ grants: { authorization_code: { issuer_state: 'x' } } })), Oid4vciErrorCode.OfferUnsupportedGrant],
    ['no grants', byValue(offer({ grants: undefined })), Oid4vciErrorCode.OfferUnsupportedGrant],
    ['a pre-authorized grant without code', byValue(offer({ grants: { [PRE_AUTHORIZED_CODE_GRANT]: {} } })), Oid4vciErrorCode.OfferMalformed],
    ['a tx_code of another input mode', byValue(offer({ grants: { [PRE_AUTHORIZED_CODE_GRANT]: { 'pre-authorized_code': 'c', tx_code: { input_mode: 'voice' } } } })), Oid4vciErrorCode.OfferMalformed],
  ])('refuses %s', (_label, text, code) => {
    expect(codeOf(() => parseCredentialOfferLink(text))).toBe(code);
  });
});

describe('fetching an offer by reference', () => {
  const transport = (status: number, body: unknown) => ({
    fetch: async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    clock: { now: () => new Date('2026-11-30T00:00:00Z') },
  });
  const link = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent('https://city.example/oid4vci/offers/1')}`;

  it('reads the offer the issuer serves', async () => {
    await expect(resolveCredentialOffer(link, transport(200, offer()))).resolves.toMatchObject({ preAuthorizedCode: 'code-1' });
  });

  it.each<[number, unknown, string]>([
    [404, { type: 'about:blank', code: 'oid4vci.offer-not-found', status: 404 }, Oid4vciErrorCode.OfferNotFound],
    [503, { code: 'service.unavailable' }, Oid4vciErrorCode.IssuerUnavailable],
    [429, {}, Oid4vciErrorCode.IssuerUnavailable],
    [200, { credential_issuer: ISSUER }, Oid4vciErrorCode.OfferMalformed],
  ])('answers %i as a typed error', async (status, body, code) => {
    await expect(resolveCredentialOffer(link, transport(status, body))).rejects.toMatchObject({ code });
  });

  it('reports a fetch without answer as a network error', async () => {
    const down = { fetch: async () => Promise.reject(new TypeError('fetch failed')), clock: { now: () => new Date() } };
    await expect(resolveCredentialOffer(link, down)).rejects.toMatchObject({ code: Oid4vciErrorCode.Network });
  });
});

describe('transaction codes are checked before they are sent', () => {
  it.each<[string | undefined, string | undefined]>([
    ['042917', undefined],
    [' 042917 ', undefined],
    [undefined, Oid4vciErrorCode.TxCodeRequired],
    ['', Oid4vciErrorCode.TxCodeRequired],
    ['04291', Oid4vciErrorCode.TxCodeMalformed],
    ['04291a', Oid4vciErrorCode.TxCodeMalformed],
  ])('%s', (code, expected) => {
    expect(codeOf(() => checkTxCode({ inputMode: 'numeric', length: 6 }, code))).toBe(expected);
  });
});

describe('well-known locations (OpenID4VCI 1.0 §12.2.2, RFC 8414 §3.1)', () => {
  it.each<[string, string, string]>([
    [ISSUER, 'openid-credential-issuer', 'https://city.example/.well-known/openid-credential-issuer/oid4vci/seoul-citizen'],
    [`${ISSUER}/`, 'openid-credential-issuer', 'https://city.example/.well-known/openid-credential-issuer/oid4vci/seoul-citizen'],
    ['https://city.example', 'openid-credential-issuer', 'https://city.example/.well-known/openid-credential-issuer'],
    ['http://127.0.0.1:3001/oid4vci/x', 'oauth-authorization-server', 'http://127.0.0.1:3001/.well-known/oauth-authorization-server/oid4vci/x'],
  ])('%s → %s', (identifier, suffix, expected) => {
    expect(wellKnownUrl(identifier, suffix as 'openid-credential-issuer')).toBe(expected);
  });
});
