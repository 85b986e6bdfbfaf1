import { credentialTypeHash, issuerRegistryAt } from '@citycred/anchors';
import { credentialHash, verifyMerkleProof } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, getJson, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';

const subject = citizenCardSubject;

describe('issue a SeoulCitizenCard, anchor it, verify it', () => {
  let p: TestPlatform;
  let apiKey: string;
  let did: string;
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    p = await startTestPlatform('issue_verify', { clock });
    // The tenants' accreditations start at the chain's time when they were provisioned (never backdated): the
    // shared clock moves there.
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    const tenant = p.tenants.get('seoul-citizen')!;
    apiKey = tenant.apiKey;
    did = tenant.did;
  });
  afterAll(async () => p?.stop());

  const issue = (body: unknown, key = apiKey) => postJson(`${p.issuer.url}/credentials/issue`, body, { authorization: `Bearer ${key}` });
  const verify = (body: unknown) => postJson(`${p.verifier.url}/credentials/verify`, body);
  const checkOf = (result: { checks: Array<{ id: string; status: string }> }, id: string) => result.checks.find((c) => c.id === id)?.status;

  let vc: any;
  let later: { status: number; body: any };

  it('issues in the VC-API shape with the tenant as issuer', async () => {
    const res = await issue(issueBody(did, 'SeoulCitizenCard', subject));
    expect(res.status).toBe(201);
    vc = res.body.verifiableCredential;
    expect(vc.issuer).toEqual({ id: did });
    expect(did).toMatch(/^did:ethr:citycred:0x0[23][0-9a-f]{64}$/);
    expect(vc['@context']).toEqual(['https://www.w3.org/2018/credentials/v1', 'https://contexts.citycred.seoul.go.kr/v1']);
    expect(vc.type).toEqual(['VerifiableCredential', 'SeoulCitizenCard']);
    expect(vc.id).toMatch(/^urn:uuid:/);
    expect(vc.credentialSubject).toMatchObject(subject);
    expect(vc.credentialSchema.id).toContain('SeoulCitizenCard');
    expect(new Date(vc.expirationDate).getUTCFullYear() - new Date(vc.issuanceDate).getUTCFullYear()).toBe(5);
    expect(vc.proof.type).toBe('JwtProof2020');
    expect(vc.proof.jwt.split('.')).toHaveLength(3);
  });

  it('verifies before anchoring with the anchor check pending', async () => {
    const res = await verify({ verifiableCredential: vc });
    expect(res.status).toBe(200);
    expect(res.body.verified).toBe(true);
    expect(checkOf(res.body, 'anchor')).toBe('pending');
    expect(res.body.checks.find((c: { id: string }) => c.id === 'anchor')).not.toHaveProperty('anchor');
    expect(checkOf(res.body, 'signature')).toBe('passed');
    const proof = await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(vc.proof.jwt)}`);
    expect(proof.status).toBe(202);
    expect(proof.body.status).toBe('pending');
  });

  it('anchors the batch and serves a proof that checks against the chain', async () => {
    const run = await p.worker.runOnce();
    expect(run).toMatchObject({ sealed: 1, anchored: 1, failed: 0 });
    const hash = credentialHash(vc.proof.jwt);
    const res = await getJson(`${p.issuer.url}/anchors/proofs/${hash.slice(2).toUpperCase()}`);
    expect(res.status).toBe(200);
    // The batch also holds the first published versions of the tenant's two status lists, opened by this issuance.
    expect(res.body).toMatchObject({ credentialHash: hash, status: 'anchored', chainId: p.chain.chainId, contract: p.deployment.credentialAnchor });
    expect([0, 1, 2]).toContain(res.body.leafIndex);
    expect(verifyMerkleProof(hash, res.body.proof, res.body.root)).toBe(true);
    const receipt = await p.provider.getTransactionReceipt(res.body.txHash);
    expect(receipt?.blockNumber).toBe(res.body.blockNumber);
    expect(receipt?.from.toLowerCase()).toBe(p.tenants.get('seoul-citizen')!.address.toLowerCase());
  });

  it('verifies with every check passed once anchored, in JSON form and as a compact JWT, naming the anchoring block', async () => {
    const proof = (await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(vc.proof.jwt)}`)).body;
    const block = await p.provider.getBlock(proof.blockNumber);
    for (const form of [vc, vc.proof.jwt]) {
      const res = await verify({ verifiableCredential: form });
      expect(res.status).toBe(200);
      expect(res.body.verified).toBe(true);
      expect(res.body.errors).toEqual([]);
      const statuses = Object.fromEntries(res.body.checks.map((c: { id: string; status: string }) => [c.id, c.status]));
      expect(statuses).toEqual({
        format: 'passed',
        signature: 'passed',
        validity: 'passed',
        schema: 'passed',
        status: 'passed',
        'issuer-accreditation': 'passed',
        anchor: 'passed',
      });
      // The anchor as data (an extension member of the anchor check), named as the issuer's proof names it.
      expect(res.body.checks.find((c: { id: string }) => c.id === 'anchor').anchor).toEqual({
        root: proof.root,
        blockNumber: proof.blockNumber,
        anchoredAt: new Date(Number(block!.timestamp) * 1000).toISOString(),
        chainId: proof.chainId,
        contract: proof.contract,
      });
      expect(res.body.checks.filter((c: { anchor?: unknown }) => c.anchor !== undefined)).toHaveLength(1);
    }
  });

  it('rejects a signature with one character changed', async () => {
    const [h, b, s] = vc.proof.jwt.split('.');
    const flipped = s[10] === 'A' ? 'B' : 'A';
    const jwt = `${h}.${b}.${s.slice(0, 10)}${flipped}${s.slice(11)}`;
    const res = await verify({ verifiableCredential: { ...vc, proof: { ...vc.proof, jwt } } });
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body).toMatchObject({ verified: false, status: 400, code: 'verification.failed' });
    expect(checkOf(res.body, 'signature')).toBe('failed');
    expect(res.body.errors.join()).toContain('signature');
  });

  it('rejects a JSON form whose subject differs from the signed JWT', async () => {
    const res = await verify({ verifiableCredential: { ...vc, credentialSubject: { ...vc.credentialSubject, ageOver19: false } } });
    expect(res.status).toBe(400);
    expect(checkOf(res.body, 'format')).toBe('failed');
    expect(res.body.checks.filter((c: { status: string }) => c.status === 'skipped')).toHaveLength(6);
  });

  it('rejects a JSON form that changes or adds any member the JWT does not sign', async () => {
    const variants = [
      { ...vc, expirationDate: '2099-01-01T00:00:00.000Z' },
      { ...vc, issuanceDate: '2020-01-01T00:00:00.000Z' },
      { ...vc, id: 'urn:uuid:00000000-0000-4000-8000-000000000000' },
      { ...vc, issuer: { id: vc.issuer.id, name: 'Someone else' } },
      { ...vc, credentialStatus: { id: 'https://example.org/status#1', type: 'BitstringStatusListEntry' } },
      { ...vc, credentialSchema: { ...vc.credentialSchema, id: 'https://example.org/other.json' } },
    ];
    for (const variant of variants) {
      const res = await verify({ verifiableCredential: variant });
      expect(res.status).toBe(400);
      expect(checkOf(res.body, 'format')).toBe('failed');
    }
    // Nor may it leave out a member the JWT signs (VC-API verifiers compare the whole credential).
    const { credentialSchema: _left, ...withoutSchema } = vc;
    const leftOut = await verify({ verifiableCredential: withoutSchema });
    expect(leftOut.status).toBe(400);
    expect(checkOf(leftOut.body, 'format')).toBe('failed');
  });

  it('rejects a presented anchor proof that does not lead to the credential', async () => {
    const hash = credentialHash(vc.proof.jwt);
    const real = (await getJson(`${p.issuer.url}/anchors/proofs/${hash}`)).body;
    const res = await verify({ verifiableCredential: vc, options: { anchorProof: { ...real, proof: [`0x${'ab'.repeat(32)}`] } } });
    expect(res.status).toBe(400);
    expect(checkOf(res.body, 'anchor')).toBe('failed');
    const ok = await verify({ verifiableCredential: vc, options: { anchorProof: real } });
    expect(checkOf(ok.body, 'anchor')).toBe('passed');
  });

  it('keeps accreditation historical: revoking later does not fail earlier credentials, but fails new ones', async () => {
    const registry = issuerRegistryAt(p.deployment.issuerRegistry, p.root);
    const tenant = p.tenants.get('seoul-citizen')!;
    const anchoredBlock = await p.provider.getBlock('latest');
    await p.provider.send('evm_setNextBlockTimestamp', [Number(anchoredBlock!.timestamp) + 10]);
    await (await registry.revokeAccreditation(tenant.address, credentialTypeHash('SeoulCitizenCard'), 0)).wait();
    const block = await p.provider.getBlock('latest');
    clock.set(new Date((Number(block!.timestamp) + 5) * 1000));
    // signed before the issuer read the revocation (it refuses from its next reading: accreditation.e2e.spec.ts)
    later = await issue(issueBody(did, 'SeoulCitizenCard', subject));
    expect(later.status).toBe(201);
    const res = await verify({ verifiableCredential: later.body.verifiableCredential });
    expect(res.status).toBe(400);
    expect(checkOf(res.body, 'issuer-accreditation')).toBe('failed');
    const before = await verify({ verifiableCredential: vc });
    expect(checkOf(before.body, 'issuer-accreditation')).toBe('passed');
    const run = await p.worker.runOnce();
    expect(run).toMatchObject({ anchored: 0, failed: 0, refused: 1 });
  });

  it('fails validity once expired, and a never-anchored credential once the grace period is over', async () => {
    clock.set(new Date(new Date(vc.expirationDate).getTime() + 120_000));
    const res = await verify({ verifiableCredential: vc });
    expect(res.status).toBe(400);
    expect(checkOf(res.body, 'validity')).toBe('failed');
    expect(checkOf(res.body, 'anchor')).toBe('passed');
    const unanchored = await verify({ verifiableCredential: later.body.verifiableCredential });
    expect(checkOf(unanchored.body, 'anchor')).toBe('failed');
  });
});
