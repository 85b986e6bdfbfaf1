export * from './types.js';
export { decodeBase64url, decodeBase64urlText, encodeBase64url, utf8Bytes, utf8Text } from './base64url.js';
export { decodeCompactJws, encodeJwsSection, isJwsAlgorithm, JWS_ALGORITHMS, parseJwsHeader, signCompactJws, verifyJwsSignature, type DecodedJws } from './jws.js';
export { JWT_PROOF_TYPE, jwtVcFormat, jwtVcJsonForm } from './jwt-vc.js';
export { ENVELOPED_CREDENTIAL_TYPE, envelopeVcJwt, VC_JWT_CTY, VC_JWT_DATA_URL_PREFIX, VC_JWT_TYP, vcJwtFormat } from './vc-jwt.js';
export { credentialFormat, credentialHashInput, detectFormat } from './registry.js';
export { ethereumAddress, nobleSignatureCrypto, recoverSecp256k1Addresses } from './noble-crypto.js';
export { VCDM1_CONTEXT, VCDM2_CONTEXT } from './w3c.js';
export * from './sd-jwt-vc/index.js';
