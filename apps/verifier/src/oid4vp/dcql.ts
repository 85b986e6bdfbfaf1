import { credentialTypeInfo, isCredentialType, vctOf } from '@citycred/credentials';
import type { ClaimRequirement, CredentialPolicy } from '../policies/index.js';

/** One claim a DCQL credential query asks for (OpenID4VP 1.0 §6.3). */
export interface DcqlClaimQuery {
  /** Present when the query has `claim_sets`, which name claims by it. */
  readonly id?: string;
  readonly path: readonly string[];
}

/** A DCQL credential query (OpenID4VP 1.0 §6.1), in the two formats CityCred credentials come in. */
export interface DcqlCredentialQuery {
  /** The key of the presentations for it in `vp_token`. */
  readonly id: string;
  readonly format: 'dc+sd-jwt' | 'jwt_vc_json';
  readonly meta: { readonly vct_values: readonly string[] } | { readonly type_values: readonly (readonly string[])[] };
  /** Absent when the policy reads no claim of the credential: the wallet then discloses none (OpenID4VP 1.0 §6.1). */
  readonly claims?: readonly DcqlClaimQuery[];
  readonly claim_sets?: readonly (readonly string[])[];
  readonly multiple?: boolean;
}

/** A DCQL query: `{credentials: [...]}`. */
export interface DcqlQuery {
  readonly credentials: readonly DcqlCredentialQuery[];
}

/**
 * The DCQL query that asks a wallet for exactly what `policy` reads: one credential query per required credential
 * type, with one claim per claim the policy may read and its alternatives as `claim_sets` (most preferred first).
 * A type the catalogue issues as SD-JWT VC is asked for as `dc+sd-jwt` by its `vct` (the wallet then discloses only
 * those claims); a JWT-only type as `jwt_vc_json` by its W3C types (the whole credential is shown).
 * @param policy - a registered credential policy
 * @throws TypeError when the policy requires a type that is not in the catalogue (a wiring fault)
 */
export function dcqlQueryOf(policy: Pick<CredentialPolicy, 'requires'>): DcqlQuery {
  return { credentials: policy.requires.map(credentialQueryOf) };
}

function credentialQueryOf(requirement: ClaimRequirement): DcqlCredentialQuery {
  const type = requirement.type;
  if (!isCredentialType(type)) throw new TypeError(`a policy requires ${type}, which is not a catalogue credential type`);
  const sdJwt = credentialTypeInfo(type).formats.includes('sd-jwt');
  const named = requirement.claimSets !== undefined;
  const claims = requirement.claims.map((claim): DcqlClaimQuery => ({
    ...(named ? { id: claim } : {}),
    path: sdJwt ? [claim] : ['credentialSubject', claim],
  }));
  return {
    id: type,
    format: sdJwt ? 'dc+sd-jwt' : 'jwt_vc_json',
    meta: sdJwt ? { vct_values: [vctOf(type)] } : { type_values: [['VerifiableCredential', type]] },
    ...(claims.length > 0 ? { claims } : {}),
    ...(requirement.claimSets ? { claim_sets: requirement.claimSets.map((set) => [...set]) } : {}),
    ...(requirement.multiple ? { multiple: true } : {}),
  };
}
