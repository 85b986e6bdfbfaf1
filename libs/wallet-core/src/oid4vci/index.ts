/**
 * OpenID4VCI 1.0 (Final) for the citizen wallet, pre-authorized code flow: offers, issuer metadata, token, nonce,
 * key proof and credential requests; the credential's anchor proof and status read from its issuer. Browser code:
 * `fetch` and WebCrypto only. docs/wallet-protocols.md.
 */
export { Oid4vciClient, keyProofJwt, PROOF_JWT_TYP, type Oid4vciClientOptions, type PreparedOffer, type ReceiveOptions } from './client.js';
export { Oid4vciError, Oid4vciErrorCode, type Oid4vciErrorDetails } from './errors.js';
export { contactableUrl, deviceClock, type WalletFetch, type WalletTransport } from './http.js';
export { OID4VCI_MESSAGES, type WalletMessage } from './messages.js';
export {
  authorizationServerFor,
  displayNameIn,
  fetchAuthorizationServerMetadata,
  fetchIssuerMetadata,
  wellKnownUrl,
  type AuthorizationServerMetadata,
  type CredentialConfiguration,
  type DisplayName,
  type IssuerMetadata,
} from './metadata.js';
export {
  checkTxCode,
  CREDENTIAL_OFFER_SCHEME,
  parseCredentialOfferLink,
  PRE_AUTHORIZED_CODE_GRANT,
  readCredentialOffer,
  resolveCredentialOffer,
  type CredentialOffer,
  type OfferLink,
  type TxCodeRequirement,
} from './offer.js';
export { checkReceivedCredential, credentialHashOf, isSupportedConfigurationFormat, receivedCredentialOf, type CheckedCredential, type ExpectedCredential, type ReceivedCredential } from './received.js';
export { checkIssuerSignature, DID_RESOLUTION_PATH, resolvingIssuerKeys, type IssuerKeys, type IssuerSignatureCheck, type IssuerSignatureReading } from './issuer-keys.js';
export { fetchAnchorProof, issuerServiceUrlOf, proofLeadsToRoot, type AnchorProof, type AnchorProofState } from './anchor-proof.js';
export { overallStatus, readCredentialStatus, refreshCredentialStatuses, STATUS_LIST_REFRESH_MS, StatusListCache, type CredentialStatusReading } from './status.js';
