import type { CredentialFormat, JwsSigner } from '@citycred/formats';
import { toBase64Url, type BitstringStatusListCredential } from '@citycred/status-list';
import type { StatusListSigner, StatusListTenant } from './ports.js';

const utf8 = new TextEncoder();

/**
 * Signs a JWS in compact serialisation with the header `{alg, typ, kid}` (`alg` and `kid` from the signer).
 * @returns `base64url(header).base64url(payload).base64url(signature)`
 */
export async function signCompactJws(typ: string, payload: unknown, signer: JwsSigner): Promise<string> {
  const header = { alg: signer.alg, typ, kid: signer.kid };
  const signingInput = `${toBase64Url(utf8.encode(JSON.stringify(header)))}.${toBase64Url(utf8.encode(JSON.stringify(payload)))}`;
  const signature = await signer.sign(utf8.encode(signingInput));
  return `${signingInput}.${toBase64Url(signature)}`;
}

/**
 * A {@link StatusListSigner} from the tenant's {@link JwsSigner} and the `vc+jwt` credential format, which is how the
 * issuer wires it: `statusListSignerFrom((tenant) => signers.signerFor(tenant), credentialFormat('vc+jwt'))`.
 */
export function statusListSignerFrom(signerFor: (tenant: StatusListTenant) => Promise<JwsSigner>, vcJwt: Pick<CredentialFormat, 'sign'>): StatusListSigner {
  return {
    signerFor,
    async signListCredential(credential: BitstringStatusListCredential, signer: JwsSigner): Promise<string> {
      const signed = await vcJwt.sign({ credential: credential as unknown as Record<string, unknown> }, signer);
      return signed.encoded;
    },
  };
}
