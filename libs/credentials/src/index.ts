export {
  ATTENDANCE_RECORD,
  CATALOGUE_TYPES,
  CREDENTIAL_TYPES,
  credentialExpiry,
  credentialTypeInfo,
  isAccreditedEmployerIssuer,
  isCatalogueType,
  isCredentialType,
  mayTenantIssue,
  type AccreditedEmployerIssuer,
  type CatalogueEntry,
  type CatalogueTypeName,
  type CredentialFormat,
  type CredentialTypeInfo,
  type CredentialTypeName,
  type EventTypeInfo,
  type IssuerTenants,
  type Labels,
  type StatusPurpose,
} from './catalogue.js';
export {
  CITYCRED_CONTEXT_URL,
  CITYCRED_VOCAB_URL,
  CONTEXTS,
  documentLoader,
  UnknownContextError,
  VC_V1_CONTEXT_URL,
  type JsonLdContextDocument,
  type RemoteDocument,
} from './contexts.js';
export { addDuration } from './duration.js';
export { exampleSubject, invalidExamples, type InvalidExample } from './fixtures.js';
export {
  containsResidentRegistrationNumber,
  CREDENTIAL_MEMBER_NAMES,
  displayPointer,
  findResidentRegistrationNumbers,
  jsonPointerSegment,
  nameForDisplay,
  normaliseForDetection,
  pointerForDisplay,
  REDACTED,
  undefinedMemberName,
  UNNAMED,
  type FindOptions,
  type PathSegment,
  type PersonalDataFinding,
} from './personal-data.js';
export {
  ageAt,
  checkAgeClaims,
  FREE_TEXT_KEYWORDS,
  NO_RESIDENT_REGISTRATION_NUMBER,
  validateCredentialSubject,
  type SubjectValidationError,
  type SubjectValidationOptions,
  type SubjectValidationResult,
} from './schema-validation.js';
export {
  COMMON_SCHEMA_URL,
  commonSchema,
  credentialSchema,
  credentialSchemaUrl,
  SCHEMA_BASE_URL,
  schemaDocuments,
  type JsonSchemaDocument,
} from './schemas.js';
export type * from './subjects.js';
