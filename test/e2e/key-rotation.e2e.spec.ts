import { credentialAnchorAt, credentialTypeHash, issuerRegistryAt, type IssuerRegistryContract } from '@citycred/anchors';
import { credentialHash, rootFromProof } from '@citycred/anchoring';
import { didRegistryAt, ethrProviderName, LOCAL_KMS } from '@citycred/did';
import { runTenantsCommand } from '@citycred/platform';
import type { Clock } from '@citycred/config';
import { exampleSubject } from '@citycred/credentials';
import { accreditFromChainTime } from '@citycred/tenancy';
import type { TenantEntity } from '@citycred/persistence';
import { createJWT, ES256KSigner } from 'did-jwt';
import { computeAddress, getBytes, JsonRpcSigner, parseEther, toBeHex, Wallet, ZeroAddress, type Signer } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, getJson, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';

/*
 * Key rotation contains a leak and keeps history valid (issue 14, item 4), through the real services, chain and
 * database: the operator's `tenants rotate-key` moves a tenant's identity to a new key with ERC-1056 `changeOwner`;
 * the verifier judges each signature by the issuer's keys at the block its credential was anchored in (as of now
 * while it is pending), and by default accepts the owner's key only. Each case onboards a department of its own,
 * whose first key the test imports, so it holds a copy of it — as whoever leaked it would.
 */

type Result = { status: number; type: string; body: any };

const statusOf = (res: Result, id: string): string | undefined => res.body?.checks?.find((c: { id: string }) => c.id === id)?.status;
const detailOf = (res: Result, id: string): string => res.body?.checks?.find((c: { id: string }) => c.id === id)?.detail ?? '';
const CONTEXTS = ['https://www.w3.org/2018/credentials/v1', 'https://contexts.citycred.seoul.go.kr/v1'];
const TYPE = 'SeoulCitizenCard';

describe('key rotation', () => {
  let p: TestPlatform;
  let seq = 0;
  // The services' clock follows the chain's: the wall clock plus what a case moved the chain's time forward by.
  let chainAhead = 0;
  const clock: Clock = { now: () => new Date(Date.now() + chainAhead * 1000) };

  beforeAll(async () => {
    p = await startTestPlatform('key_rotation', { clock });
  });
  afterAll(async () => p?.stop());

  interface Department {
    tenant: TenantEntity;
    apiKey: string;
    /** The tenant's first key, kept outside the key manager. */
    leaked: Wallet;
    /** Its id in the key manager. */
    leakedKid: string;
  }

  /** A department accredited for SeoulCitizenCard from the chain's present, with a key the test holds a copy of. */
  async function newDepartment(): Promise<Department> {
    seq += 1;
    const slug = `rotation-${seq}`;
    const { agent, tenants, network } = p.issuer.runtime;
    const leaked = new Wallet(Wallet.createRandom().privateKey);
    const key = await agent.keyManagerImport({ kms: LOCAL_KMS, type: 'Secp256k1', privateKeyHex: leaked.privateKey.slice(2) });
    await agent.didManagerCreate({ alias: slug, provider: ethrProviderName(network), options: { keyRef: key.kid } });
    const { tenant } = await tenants.ensureTenant({ slug, name: `Rotation test ${seq}`, kind: 'department', credentialTypes: [TYPE] });
    expect(tenant.address).toBe(leaked.address);
    await p.provider.send('anvil_setBalance', [tenant.address, toBeHex(parseEther('10'))]);
    await accreditFromChainTime({ deployment: p.deployment, accreditor: p.root, issuer: tenant.address, types: [TYPE], validForSeconds: 86_400n });
    await p.accreditations.refresh();
    return { tenant, apiKey: await tenants.issueApiKey(tenant.id, 'test'), leaked, leakedKid: key.kid };
  }

  async function issue(department: Department): Promise<any> {
    const res = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(department.tenant.did, TYPE, citizenCardSubject), { authorization: `Bearer ${department.apiKey}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.verifiableCredential;
  }

  const verify = (verifiableCredential: unknown, options: Record<string, unknown> = {}) => postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential, options });

  /** `citycred tenants rotate-key <slug> [--force]` against the running platform's database and chain, in process. */
  const rotateKey = (slug: string, ...flags: string[]) => tenantsCommand('rotate-key', slug, ...flags);

  /** `citycred tenants <args…>` against the running platform's database and chain, in process, without the root key. */
  async function tenantsCommand(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const { config } = p.issuer.runtime;
    const out: string[] = [];
    const err: string[] = [];
    const code = await runTenantsCommand(
      args,
      {
        database: { url: p.db.url, schema: p.db.schema, sqlitePath: p.db.sqlitePath },
        rpcUrl: p.chain.rpcUrl,
        embedded: false,
        deploymentsDir: config.DEPLOYMENTS_DIR,
        didNetwork: config.DID_ETHR_NETWORK,
        keyEncryptionSecret: config.KEY_ENCRYPTION_SECRET,
      },
      { out: (line) => out.push(line), err: (line) => err.push(line) },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  /** A SeoulCitizenCard JWT VC under the department's DID, signed directly with `key` (no issuer service involved). */
  async function signAs(department: Department, key: Wallet, nbf: number): Promise<string> {
    const vc = { '@context': CONTEXTS, type: ['VerifiableCredential', TYPE], credentialSubject: citizenCardSubject };
    return createJWT({ vc, nbf }, { issuer: department.tenant.did, signer: ES256KSigner(getBytes(key.privateKey)) }, { alg: 'ES256K' });
  }

  /**
   * Anchors `jwt` alone (its root is its leaf) in the department's name, sent by `sender` (registered as the
   * department's anchorer first when it is not yet); returns the proof to present.
   */
  async function anchorAlone(department: Department, jwt: string, sender: Signer) {
    const root = rootFromProof(credentialHash(jwt), []);
    const anchors = credentialAnchorAt(p.deployment.credentialAnchor, sender);
    const registration = await anchors.anchorerOf(await sender.getAddress(), credentialTypeHash(TYPE));
    if (registration.issuer !== department.tenant.address || Number(registration.validUntil) <= (await chainNow())) {
      await (await anchors.registerAnchorer(department.tenant.address, credentialTypeHash(TYPE))).wait();
    }
    await (await anchors.anchor(credentialTypeHash(TYPE), root, 1)).wait();
    return { root, proof: [], leafIndex: 0 };
  }

  const chainNow = async () => (await p.provider.getBlock('latest'))!.timestamp;
  const ownerSigner = (department: Department) => p.issuer.runtime.tenants.signerFor(department.tenant, p.provider);
  const owner = (department: Department) => didRegistryAt(p.deployment.didRegistry, p.provider).identityOwner(department.tenant.address);

  it('keeps anchored credentials valid, signs with the new key, and leaves the old key able to sign or anchor nothing', async () => {
    const department = await newDepartment();
    const before = await issue(department);

    // A credential signed with the current key is still queued, and so are the first versions of the two status lists
    // its issuance opened: rotating now would make them unverifiable.
    const refused = await rotateKey(department.tenant.slug);
    expect(refused.code, refused.err).toBe(1);
    expect(refused.err).toContain('3 credential(s) or status-list version(s) signed with its current key that are not anchored yet');
    expect(await owner(department)).toBe(department.leaked.address);

    await p.worker.runOnce();
    const proof = await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(before.proof.jwt)}`);
    expect(proof.status).toBe(200);
    const anchoredAt = proof.body.blockNumber as number;

    const rotated = await rotateKey(department.tenant.slug);
    expect(rotated.code, rotated.err).toBe(0);
    const newOwner = await owner(department);
    expect(newOwner).not.toBe(department.leaked.address);
    expect(rotated.out).toContain(`is owned by ${newOwner}, was ${department.leaked.address}`);
    // The rotation ended the old key's registration as the department's anchorer at once (before the new key anchors).
    expect(rotated.out).toContain(`ended the anchorer registration of ${department.leaked.address} for ${TYPE} (withdrawAnchorer in tx 0x`);
    const anchorsNow = credentialAnchorAt(p.deployment.credentialAnchor, p.provider);
    expect((await anchorsNow.anchorerOf(department.leaked.address, credentialTypeHash(TYPE))).issuer).toBe(ZeroAddress);
    expect(await (await ownerSigner(department)).getAddress()).toBe(newOwner);
    // The old key is gone from the key manager; the DID string is unchanged.
    const identifier = await p.issuer.runtime.agent.didManagerGet({ did: department.tenant.did });
    expect(identifier.keys.map((k) => k.kid)).not.toContain(department.leakedKid);
    expect(identifier.keys).toHaveLength(1);
    await expect(p.issuer.runtime.agent.keyManagerGet({ kid: department.leakedKid })).rejects.toThrow();

    // The credential anchored before the rotation still verifies: its signature is judged at its anchoring block, and
    // its status lists, signed by the old key, are re-signed by the new one when the verifier fetches them.
    for (const policy of ['city', 'city-strict']) {
      const res = await verify(before, { policy });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(statusOf(res, 'signature')).toBe('passed');
      // Before the rotation the identity owned itself: its document listed the public key (#controllerKey), which is
      // checked directly; after it only the new owner's address (#controller) is listed.
      expect(detailOf(res, 'signature')).toBe(`ES256K signature by ${department.tenant.did}#controllerKey, keys as of block ${anchoredAt}, when it was anchored`);
    }

    // A credential issued after the rotation is signed by the new key, pending and then anchored — by the new owner,
    // in the name of the same identity.
    const after = await issue(department);
    const pending = await verify(after);
    expect(pending.status, JSON.stringify(pending.body)).toBe(200);
    expect(statusOf(pending, 'anchor')).toBe('pending');
    expect(detailOf(pending, 'signature')).toBe(`ES256K signature by ${department.tenant.did}#controller, keys as of now (the credential is not anchored)`);
    await p.worker.runOnce();
    const anchored = await verify(after, { policy: 'city-strict' });
    expect(anchored.status, JSON.stringify(anchored.body)).toBe(200);
    expect(statusOf(anchored, 'anchor')).toBe('passed');
    const afterProof = await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(after.proof.jwt)}`);
    const anchors = credentialAnchorAt(p.deployment.credentialAnchor, p.provider);
    const [anchoring] = await anchors.queryFilter(anchors.filters.RootAnchored(department.tenant.address, afterProof.body.root));
    expect((await p.provider.getTransaction(anchoring!.transactionHash))?.from).toBe(newOwner);

    // The leaked old key: what it signs after the rotation fails the signature check…
    const forged = await signAs(department, department.leaked, await chainNow());
    const res = await verify(forged);
    expect(res.status).toBe(400);
    expect(statusOf(res, 'signature')).toBe('failed');
    expect(detailOf(res, 'signature')).toContain("the issuer DID's owner key");
    // …it cannot anchor in the identity's name (its registration was withdrawn, and the new key's replaced it), nor register again…
    const attacker = department.leaked.connect(p.provider);
    await p.provider.send('anvil_setBalance', [attacker.address, toBeHex(parseEther('1'))]);
    const forgedRoot = rootFromProof(credentialHash(forged), []);
    const asAttacker = credentialAnchorAt(p.deployment.credentialAnchor, attacker);
    const refusalOf = (sent: Promise<unknown>) =>
      sent.then(
        () => 'sent',
        (error: { data?: string }) => asAttacker.interface.parseError(error.data ?? '0x')?.name,
      );
    expect(await refusalOf(asAttacker.anchor(credentialTypeHash(TYPE), forgedRoot, 1))).toBe('NotAnchorer');
    expect(await refusalOf(asAttacker.registerAnchorer(department.tenant.address, credentialTypeHash(TYPE)))).toBe('NotIdentityOwner');
    // …and it cannot take the identity back.
    await expect(didRegistryAt(p.deployment.didRegistry, attacker).changeOwner(department.tenant.address, attacker.address)).rejects.toThrow();
    expect(await owner(department)).toBe(newOwner);
  });

  it('fails a credential the leaked key pre-dated and anchored before the rotation, once its date has passed (issued after it was anchored)', async () => {
    const department = await newDepartment();
    // While the leaked key still owns the identity it signs a credential dated 75 s ahead and anchors it itself.
    const nbf = (await chainNow()) + 75;
    const predated = await signAs(department, department.leaked, nbf);
    const anchorProof = await anchorAlone(department, predated, department.leaked.connect(p.provider));
    const anchoredAt = (await credentialAnchorAt(p.deployment.credentialAnchor, p.provider).anchorOf(department.tenant.address, anchorProof.root)).anchoredAt;
    expect(Number(anchoredAt)).toBeLessThan(nbf - 60);
    const rotated = await rotateKey(department.tenant.slug);
    expect(rotated.code, rotated.err).toBe(0);

    // Its date passes: the signature is the owner's at the anchoring block, the issuer was accredited on that date,
    // but a credential cannot have been issued after its hash was on chain.
    await p.provider.send('evm_increaseTime', [120]);
    await p.provider.send('evm_mine', []);
    chainAhead += 120;
    for (const policy of ['city', 'city-strict']) {
      const res = await verify(predated, { anchorProof, policy });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(statusOf(res, 'signature')).toBe('passed');
      expect(statusOf(res, 'validity')).toBe('passed');
      expect(statusOf(res, 'issuer-accreditation')).toBe('passed');
      expect(statusOf(res, 'anchor')).toBe('failed');
      expect(detailOf(res, 'anchor')).toContain('issued after it was anchored');
    }
  });

  it("accepts a delegate's signature only under city-delegates, and only as valid at its anchoring block, across an owner change", async () => {
    const department = await newDepartment();
    const delegate = new Wallet(Wallet.createRandom().privateKey);
    await (await didRegistryAt(p.deployment.didRegistry, await ownerSigner(department)).addDelegate(department.tenant.address, 'veriKey', delegate.address, 86_400n)).wait();

    const signed = await signAs(department, delegate, await chainNow());
    const anchorProof = await anchorAlone(department, signed, await ownerSigner(department));
    const asCity = await verify(signed, { anchorProof });
    expect(asCity.status).toBe(400);
    expect(statusOf(asCity, 'anchor')).toBe('passed');
    expect(statusOf(asCity, 'signature')).toBe('failed');
    expect(detailOf(asCity, 'signature')).toContain('policy city accepts no delegate');
    const asDelegates = await verify(signed, { anchorProof, policy: 'city-delegates' });
    expect(asDelegates.status, JSON.stringify(asDelegates.body)).toBe(200);
    expect(asDelegates.body.policy).toMatchObject({ id: 'city-delegates', acceptDelegates: true });
    expect(detailOf(asDelegates, 'signature')).toMatch(new RegExp(`^ES256K signature by ${department.tenant.did}#delegate-1, keys as of block \\d+, when it was anchored$`));

    // The owner changes: the delegate's credential stays bound to what was valid at its anchoring block.
    const rotated = await rotateKey(department.tenant.slug);
    expect(rotated.code, rotated.err).toBe(0);
    expect((await verify(signed, { anchorProof, policy: 'city-delegates' })).status).toBe(200);
    expect((await verify(signed, { anchorProof })).status).toBe(400);

    // The new owner revokes the delegate: what it signs and gets anchored afterwards is not the department's.
    await (await didRegistryAt(p.deployment.didRegistry, await ownerSigner(department)).revokeDelegate(department.tenant.address, 'veriKey', delegate.address)).wait();
    // A delegate is valid through the second its validity ends in: let the chain's clock pass it.
    await p.provider.send('evm_increaseTime', [2]);
    await p.provider.send('evm_mine', []);
    chainAhead += 2;
    const late = await signAs(department, delegate, await chainNow());
    const lateProof = await anchorAlone(department, late, await ownerSigner(department));
    const revoked = await verify(late, { anchorProof: lateProof, policy: 'city-delegates' });
    expect(revoked.status).toBe(400);
    expect(statusOf(revoked, 'anchor')).toBe('passed');
    expect(statusOf(revoked, 'signature')).toBe('failed');
    expect(detailOf(revoked, 'signature')).toContain('or a delegate valid then');
    expect((await verify(signed, { anchorProof, policy: 'city-delegates' })).status).toBe(200);
  });

  it('completes a rotation interrupted after its changeOwner was mined, and refuses one whose identity another key took', async () => {
    const department = await newDepartment();
    const { agent } = p.issuer.runtime;
    // The state a crash leaves between the changeOwner receipt and the database switch: the chain names the new key.
    const prepared = await agent.keyManagerCreate({ kms: LOCAL_KMS, type: 'Secp256k1', meta: { rotationOf: department.tenant.did } });
    const preparedAddress = computeAddress(`0x${prepared.publicKeyHex}`);
    await (await didRegistryAt(p.deployment.didRegistry, await ownerSigner(department)).changeOwner(department.tenant.address, preparedAddress)).wait();
    const resumed = await rotateKey(department.tenant.slug);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toContain('changeOwner was already on chain (an interrupted rotation, completed now)');
    expect(await (await ownerSigner(department)).getAddress()).toBe(preparedAddress);
    const vc = await issue(department);
    await p.worker.runOnce();
    expect((await verify(vc, { policy: 'city-strict' })).status).toBe(200);

    // Someone else's key owns the identity (e.g. a leaked key used first): nothing here can rotate it.
    const stranger = new Wallet(Wallet.createRandom().privateKey);
    await (await didRegistryAt(p.deployment.didRegistry, await ownerSigner(department)).changeOwner(department.tenant.address, stranger.address)).wait();
    const lost = await rotateKey(department.tenant.slug);
    expect(lost.code).toBe(1);
    expect(lost.err).toContain(`is owned on chain by ${stranger.address}, which is neither its key nor a key prepared for it here`);
  });

  it('rotates with --force while credentials are queued; those, signed with the old key, then never verify', async () => {
    const department = await newDepartment();
    const queued = await issue(department);
    const forced = await rotateKey(department.tenant.slug, '--force');
    expect(forced.code, forced.err).toBe(0);
    await p.worker.runOnce();
    const res = await verify(queued);
    expect(res.status).toBe(400);
    expect(statusOf(res, 'anchor')).toBe('passed');
    expect(statusOf(res, 'signature')).toBe('failed');
    expect(detailOf(res, 'signature')).toMatch(/keys as of block \d+, when it was anchored$/);
  });

  it("moves a department's rights over its employers to its new key: the labour department's new key revokes and accredits hangang-cafe, the old key can do neither", async () => {
    const labour = p.tenants.get('labor')!;
    const cafe = p.tenants.get('hangang-cafe')!;
    const registry = issuerRegistryAt(p.deployment.issuerRegistry, p.provider);
    const labourTypes = ['LaborContract', 'WorkExperience'].map(credentialTypeHash);
    const refusalOf = (sent: Promise<unknown>, contract: IssuerRegistryContract) =>
      sent.then(
        () => 'sent',
        (error: { data?: string }) => contract.interface.parseError(error.data ?? '0x')?.name,
      );
    /** Sender of the transaction that emitted the registry's latest `event` about hangang-cafe. */
    const latestSender = async (event: 'IssuerAccredited' | 'AccreditationRevoked') => {
      const logs = await registry.queryFilter(registry.filters[event](cafe.address, labourTypes[0], labour.address));
      return (await logs.at(-1)!.getTransaction()).from;
    };

    const rotated = await rotateKey('labor');
    expect(rotated.code, rotated.err).toBe(0);
    const newOwner = await didRegistryAt(p.deployment.didRegistry, p.provider).identityOwner(labour.address);
    expect(newOwner).not.toBe(labour.address);

    // The old key is the identity's own address (its first key). The key manager deleted it, so anvil stands in for
    // whoever kept a copy: it sends from that address without the key.
    await p.provider.send('anvil_impersonateAccount', [labour.address]);
    await p.provider.send('anvil_setBalance', [labour.address, toBeHex(parseEther('1'))]);
    const asOldKey = registry.connect(new JsonRpcSigner(p.provider, labour.address)) as IssuerRegistryContract;
    const now = BigInt(await chainNow());
    expect(await refusalOf(asOldKey.revokeAccreditation(cafe.address, labourTypes[0]!, 0), asOldKey)).toBe('NotIdentityOwner');
    expect(await refusalOf(asOldKey.revokeAccreditationAs(labour.address, cafe.address, labourTypes[0]!, 0), asOldKey)).toBe('NotIdentityOwner');

    // The operator's command revokes with the department's current key, in the department's name; no suspension.
    const revoked = await tenantsCommand('revoke', 'hangang-cafe', '--accredited-by', 'labor');
    expect(revoked.code, revoked.err).toBe(0);
    expect(revoked.out).toContain('labor revoked hangang-cafe for LaborContract from now on');
    expect(revoked.out).toContain('labor revoked hangang-cafe for WorkExperience from now on');
    expect(await latestSender('AccreditationRevoked')).toBe(newOwner);
    const afterRevocation = BigInt(await chainNow());
    for (const type of labourTypes) {
      expect((await registry.windowAt(cafe.address, type, 0)).revokedAt).not.toBe(0n);
      expect(await registry.isAccredited(cafe.address, type, afterRevocation)).toBe(false);
      expect(await registry.isSuspended(cafe.address, type, afterRevocation)).toBe(false);
    }

    // The old key cannot accredit it again, through either function…
    expect(await refusalOf(asOldKey.accreditIssuer(cafe.address, labourTypes, now, now + 86_400n), asOldKey)).toBe('NotIdentityOwner');
    expect(await refusalOf(asOldKey.accreditIssuerAs(labour.address, cafe.address, labourTypes, now, now + 86_400n), asOldKey)).toBe('NotIdentityOwner');
    await p.provider.send('anvil_stopImpersonatingAccount', [labour.address]);

    // …the department's new key does, through the operator's command.
    const accredited = await tenantsCommand('accredit', 'hangang-cafe', '--accredited-by', 'labor');
    expect(accredited.code, accredited.err).toBe(0);
    expect(accredited.out).toContain('accredited hangang-cafe for LaborContract, WorkExperience by labor');
    expect(await latestSender('IssuerAccredited')).toBe(newOwner);
    const renewed = await registry.windowAt(cafe.address, labourTypes[0]!, 1);
    expect(renewed.accreditor).toBe(labour.address);
    expect(renewed.byRoot).toBe(false);

    // The employer issues again, and what it issues anchors and verifies.
    await p.accreditations.refresh();
    const { id: _holder, ...subject } = exampleSubject('WorkExperience');
    const issued = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(cafe.did, 'WorkExperience', subject), { authorization: `Bearer ${cafe.apiKey}` });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    await p.worker.runOnce();
    const res = await verify(issued.body.verifiableCredential);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(statusOf(res, 'anchor')).toBe('passed');
  });
});
