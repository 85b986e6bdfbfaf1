/** A P-256 private key in JWK form. */
export interface P256PrivateJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly d: string;
}

/** Whether `jwk` is a P-256 private key in JWK form (`kty` EC, `crv` P-256, and 32-byte base64url `x`, `y`, `d`). */
export function isP256PrivateJwk(jwk: unknown): jwk is P256PrivateJwk {
  if (jwk === null || typeof jwk !== 'object') return false;
  const { kty, crv, x, y, d } = jwk as Record<string, unknown>;
  return kty === 'EC' && crv === 'P-256' && [x, y, d].every((part) => typeof part === 'string' && /^[A-Za-z0-9_-]{43}$/.test(part));
}
