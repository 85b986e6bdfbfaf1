import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCompactJws } from '../jws.js';
import { loadFixture } from '@citycred/testing';
import { presentSdJwt } from './presentation.js';
import { es256TestSigner, hexBytes } from './test-signers.js';
import {
  documentSignatureTransactionData,
  encodeTransactionData,
  readDocumentSignature,
  readTransactionData,
  transactionDataBindingProblem,
  transactionDataHash,
} from './transaction-data.js';

const document = { hash: `0x${'0f'.repeat(32)}`, fileName: '임대차계약서.pdf', mediaType: 'application/pdf' };

describe('OpenID4VP transaction_data for document signatures', () => {
  it('encodes as base64url JSON (no padding) and reads back', () => {
    const data = documentSignatureTransactionData(document, ['SeoulCitizenCard']);
    const encoded = encodeTransactionData(data);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'))).toEqual({
      type: 'citycred-document-signature',
      credential_ids: ['SeoulCitizenCard'],
      transaction_data_hashes_alg: ['sha-256'],
      document_hash: document.hash,
      file_name: document.fileName,
      media_type: 'application/pdf',
    });
    expect(readDocumentSignature(encoded)).toEqual({ ok: true, value: data });
  });

  it('hashes the entry as sent: base64url(SHA-256(the base64url string))', () => {
    const encoded = encodeTransactionData(documentSignatureTransactionData(document, ['SeoulCitizenCard']));
    expect(transactionDataHash(encoded)).toBe(createHash('sha256').update(encoded, 'ascii').digest('base64url'));
  });

  it.each<[string, unknown, string]>([
    ['not a string', 42, 'transaction-data.malformed'],
    ['not base64url', 'a+b/', 'transaction-data.malformed'],
    ['not an object', Buffer.from('[1]').toString('base64url'), 'transaction-data.malformed'],
    ['no credential ids', Buffer.from('{"type":"x"}').toString('base64url'), 'transaction-data.malformed'],
    ['no sha-256 offered', Buffer.from('{"type":"x","credential_ids":["a"],"transaction_data_hashes_alg":["sha-512"]}').toString('base64url'), 'transaction-data.unsupported-hash'],
  ])('refuses an entry that is %s', (_label, encoded, reason) => {
    expect(readTransactionData(encoded)).toMatchObject({ ok: false, reason });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['of another type', { type: 'payment' }, 'transaction-data.unknown-type'],
    ['with an unknown member', { amount: 1 }, 'transaction-data.invalid'],
    ['with an upper-case hash', { document_hash: document.hash.toUpperCase() }, 'transaction-data.invalid'],
    ['with a control character in the file name', { file_name: 'a\nb.pdf' }, 'transaction-data.invalid'],
    ['with a media type that is not type/subtype', { media_type: 'pdf' }, 'transaction-data.invalid'],
  ])('refuses a document signature %s', (_label, patch, reason) => {
    const encoded = encodeTransactionData({ ...documentSignatureTransactionData(document, ['SeoulCitizenCard']), ...patch } as never);
    expect(readDocumentSignature(encoded)).toMatchObject({ ok: false, reason });
  });

  it('refuses to make a document signature of a bad hash', () => {
    expect(() => documentSignatureTransactionData({ ...document, hash: 'abc' }, ['SeoulCitizenCard'])).toThrow(RangeError);
  });

  it('binds the entries into the KB-JWT, and tells a binding that covers other data', async () => {
    const vectors = loadFixture<{ encoded: string; holder: { privateKeyHex: string } }>('formats/sd-jwt-vc/vectors.json');
    const signer = es256TestSigner(hexBytes(vectors.holder.privateKeyHex), 'holder');
    const entry = encodeTransactionData(documentSignatureTransactionData(document, ['card']));
    const other = encodeTransactionData(documentSignatureTransactionData({ ...document, hash: `0x${'1f'.repeat(32)}` }, ['card']));
    const presented = await presentSdJwt(vectors.encoded, { disclose: [], kb: { signer, nonce: 'n', aud: 'a', iat: new Date(), transactionData: [entry] } });
    const kb = decodeCompactJws(presented.slice(presented.lastIndexOf('~') + 1)).payload;
    expect(kb).toMatchObject({ transaction_data_hashes: [transactionDataHash(entry)], transaction_data_hashes_alg: 'sha-256' });
    expect(transactionDataBindingProblem(kb, [entry])).toBeUndefined();
    expect(transactionDataBindingProblem(kb, [other])).toMatch(/signed other data/);
    expect(transactionDataBindingProblem({ ...kb, transaction_data_hashes: undefined }, [entry])).toMatch(/no transaction_data_hashes/);
    expect(transactionDataBindingProblem({ ...kb, transaction_data_hashes_alg: 'sha-512' }, [entry])).toMatch(/not sha-256/);
    expect(transactionDataBindingProblem({}, [])).toBeUndefined();
  });
});
