import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Interface } from 'ethers';
import { afterAll, describe, expect, it } from 'vitest';
import { ethrDidRegistryArtifact, loadArtifact } from '../src/artifacts.js';
import { credentialTypeHash } from '../src/credential-type.js';

const scratch = mkdtempSync(join(tmpdir(), 'citycred-artifacts-'));
const scratchUrl = pathToFileURL(`${scratch}/`);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('loadArtifact', () => {
  it('loads the compiled contracts with their ABI, bytecode and pinned EVM version', () => {
    const registry = loadArtifact('IssuerRegistry');
    const anchor = loadArtifact('CredentialAnchor');
    expect(registry.contractName).toBe('IssuerRegistry');
    expect(registry.evmVersion).toBe('shanghai');
    expect(registry.bytecode).toMatch(/^0x[0-9a-f]{200,}$/);
    expect(new Interface(registry.abi).getFunction('accreditIssuer')).not.toBeNull();
    expect(new Interface(anchor.abi).getError('RootAlreadyAnchored')).not.toBeNull();
    expect(loadArtifact('IssuerRegistry')).toBe(registry);
  });

  it('writes no artifact for an interface (nothing to deploy): only the two city contracts', () => {
    const artifactsDir = new URL('../artifacts/', import.meta.url);
    expect(readdirSync(artifactsDir).filter((name) => name.endsWith('.json')).sort()).toEqual([
      'CredentialAnchor.json',
      'IssuerRegistry.json',
    ]);
  });

  it('tells to run the build when the artifact is missing', () => {
    expect(() => loadArtifact('CredentialAnchor', scratchUrl)).toThrow(/CredentialAnchor\.json is missing: run npm run build/);
  });

  it('names the file when the artifact is not JSON, malformed or of another contract', () => {
    const dir = pathToFileURL(`${mkdtempSync(join(scratch, 'bad-'))}/`);
    writeFileSync(new URL('IssuerRegistry.json', dir), '{"abi": [');
    expect(() => loadArtifact('IssuerRegistry', dir)).toThrow(/IssuerRegistry\.json is not valid JSON/);

    writeFileSync(new URL('CredentialAnchor.json', dir), JSON.stringify({ ...loadArtifact('CredentialAnchor'), bytecode: '0x' }));
    expect(() => loadArtifact('CredentialAnchor', dir)).toThrow(/not a valid CredentialAnchor artifact[\s\S]*bytecode/);

    const other = pathToFileURL(`${mkdtempSync(join(scratch, 'other-'))}/`);
    writeFileSync(new URL('CredentialAnchor.json', other), JSON.stringify(loadArtifact('IssuerRegistry')));
    expect(() => loadArtifact('CredentialAnchor', other)).toThrow(/holds IssuerRegistry, not CredentialAnchor/);
  });
});

describe('ethrDidRegistryArtifact', () => {
  it('is the ERC-1056 registry shipped with ethr-did-resolver', () => {
    const { abi, bytecode } = ethrDidRegistryArtifact();
    const registry = new Interface(abi);
    expect(bytecode).toMatch(/^0x[0-9a-f]{200,}$/);
    for (const name of ['identityOwner', 'changed', 'changeOwner', 'addDelegate', 'setAttribute']) {
      expect(registry.getFunction(name), name).not.toBeNull();
    }
    expect(registry.getEvent('DIDOwnerChanged')).not.toBeNull();
  });
});

describe('credentialTypeHash', () => {
  it('matches the frozen keccak256 vectors of catalogue names', () => {
    expect(credentialTypeHash('SeoulCitizenCard')).toBe('0x8aa305efe230c3cb96562f42d86410db3f0afd7f431dc0394d4f0ab39c4d564f');
    expect(credentialTypeHash('LaborContract')).toBe('0x135d6d576f8a7291060787be67306d9b960b95b45401d2fc4a27b55050011179');
    expect(credentialTypeHash('WorkExperience')).toBe('0x24c345f47a49a95569b91c5b6279bc29acc45c38103d057e331e22523c11211c');
  });

  it('is case-sensitive and refuses an empty name', () => {
    expect(credentialTypeHash('laborcontract')).not.toBe(credentialTypeHash('LaborContract'));
    expect(() => credentialTypeHash('')).toThrow(TypeError);
  });
});
