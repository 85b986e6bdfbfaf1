/**
 * OpenID4VP 1.0 (Final) for the citizen wallet, as the city's verifier speaks it: signed requests by reference from a
 * `decentralized_identifier:` verifier, DCQL matched against the held credentials, SD-JWT VC and JWT VP presentations,
 * `direct_post` and `direct_post.jwt`; and the `citycred-vp:` QR code for an employer's scanner. Browser code: `fetch`
 * and WebCrypto only. docs/wallet-protocols.md.
 */
export { Oid4vpClient } from './client.js';
export {
  DcqlQueryError,
  matchDcqlQuery,
  readDcqlQuery,
  selectClaim,
  type ClaimPathElement,
  type DcqlCandidate,
  type DcqlClaimQuery,
  type DcqlCredentialQuery,
  type DcqlCredentialSetQuery,
  type DcqlMatch,
  type DcqlQuery,
  type DcqlQueryMatch,
  type DisclosedClaim,
  type HeldCredential,
} from './dcql.js';
export { Oid4vpError, Oid4vpErrorCode } from './errors.js';
export { encryptJwe, RESPONSE_ENCRYPTIONS, type ResponseEncryption } from './jwe.js';
export { OID4VP_MESSAGES, verifierRefusalText } from './messages.js';
export {
  DECENTRALIZED_IDENTIFIER_PREFIX,
  fetchPresentationRequest,
  MAX_PURPOSE_LENGTH,
  parsePresentationRequestLink,
  PRESENTATION_REQUEST_SCHEME,
  PURPOSE_VERIFIER_INFO_FORMAT,
  REQUEST_OBJECT_TYP,
  SELF_ISSUED_AUDIENCE,
  verifierKeyOf,
  type PresentationRequest,
  type PresentationRequestLink,
  type PresentationTransaction,
} from './request.js';
export { buildVpToken, jwtVp, postResponse, presentCredential, type BindingContext, type PresentationChoice, type VerifierAnswer } from './response.js';
export { SCAN_POLICY_CLAIMS, SCAN_PRESENTATION_MAX_AGE_SECONDS, SCAN_PRESENTATION_PREFIX, SCAN_QR_REDRAW_SECONDS, scanPresentation, type ScanPresentation } from './scan-qr.js';
