/**
 * The `dc+sd-jwt` credential format: IETF SD-JWT (RFC 9901) and SD-JWT VC, signed and read without `node:*`.
 * The format object for the credential-format seam, and the presentation helpers the wallet and the verifier use.
 */
export { SdJwtFormatError, type SdJwtRefusal } from './errors.js';
export type { SdJwtDisclosure } from './disclosures.js';
export {
  createSdJwtVcFormat,
  decodeSdJwtVc,
  type EnvelopedSdJwtVc,
  type KeyBindingJwt,
  LEGACY_SD_JWT_VC_TYP,
  SD_JWT_VC_TYP,
  type SdJwtVcCredential,
  type SdJwtVcFormat,
  sdJwtVcFormat,
  type SdJwtVcFormatOptions,
  splitSdJwt,
  type SdJwtParts,
} from './sd-jwt-vc-format.js';
export {
  KB_JWT_TYP,
  type KeyBindingCheck,
  type KeyBindingExpectation,
  type KeyBindingRefusal,
  presentSdJwt,
  type PresentSdJwtOptions,
  selectSdJwtDisclosures,
  verifyKeyBinding,
} from './presentation.js';
export {
  documentSignatureTransactionData,
  DOCUMENT_HASH,
  DOCUMENT_SIGNATURE_TRANSACTION_TYPE,
  type DocumentSignatureTransactionData,
  encodeTransactionData,
  isDocumentFileName,
  isDocumentMediaType,
  readDocumentSignature,
  readTransactionData,
  TRANSACTION_DATA_HASH_ALG,
  type TransactionData,
  transactionDataBindingProblem,
  transactionDataHash,
  type TransactionDataReading,
  type TransactionDataRefusal,
} from './transaction-data.js';
