export { API_KEY_PREFIX, generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys.js';
export { DEMO_TENANTS } from './demo-tenants.js';
export type { TenantSeed } from './demo-tenants.js';
export { TenantDirectory } from './tenant-directory.js';
export type { KeyRotation, TenantDirectoryOptions, TenantIdentity } from './tenant-directory.js';
export { API_KEY_SHOWN_PREFIX_LENGTH, ApiKeyStore } from './api-key-store.js';
export type { ApiKeyRevocation, ApiKeySummary } from './api-key-store.js';
export type { ApiKeyCacheOptions } from './authenticated-key-cache.js';
export { generatePassword, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordWeakness, SCRYPT_PARAMETERS, verifyPassword } from './passwords.js';
export { normaliseUsername, OPERATOR_ROLES, OperatorStore, summaryOf, USERNAME_PATTERN } from './operator-store.js';
export type { NewOperator, OperatorDisabling, OperatorSummary } from './operator-store.js';
export { actorFromLabel, auditEntryHash, canonicalJson, checkAppend, GENESIS_HASH } from './audit-entry.js';
export type { AuditAction, AuditActor, AuditAppend, AuditDetails, AuditRecord } from './audit-entry.js';
export { AuditLog, lockedAuditHead } from './audit-log.js';
export type { AuditHead, AuditPage, AuditVerification } from './audit-log.js';
export {
  accreditFromChainTime,
  chainTime,
  DEMO_ACCREDITATION_SECONDS,
  departmentActedFor,
  fundTenantAccounts,
  isoSeconds,
  MIN_TENANT_BALANCE,
  provisionDemoAccreditations,
  registryRefusalName,
  revokeAccreditationWindow,
} from './accreditation.js';
export type { AccreditationMade, AccreditOptions, DemoAccreditationOptions, DemoAccreditationReport, RevokeOptions } from './accreditation.js';
export { chainError, DEFAULT_ACCREDITATION_SECONDS, describeTenants, DEFAULT_DELEGATE_DAYS, MAX_DELEGATE_DAYS, ONBOARDING_KEY_LABEL, TenantAdministration } from './tenant-administration.js';
export type {
  AnchorerWithdrawalFailure,
  AnchorerWithdrawals,
  DelegateChange,
  NewEmployer,
  NewTenant,
  OnboardedTenant,
  TenantAdministrationOptions,
  TenantOverview,
  TypeOutcome,
  TypesChange,
  WindowMade,
} from './tenant-administration.js';
export type { AdminActor } from './admin-actor.js';
export { ApiKeyAdministration } from './api-key-administration.js';
export type { ApiKeyAdministrationOptions } from './api-key-administration.js';
export { assertTypes, catalogueTypesByKind, checkedBusinessNumber, invalidTenantRequest, MAX_TENANT_TYPES, TENANT_KINDS, TENANT_SLUG, typeIssues } from './tenant-rules.js';
export type { ConfigurableType, TenantRequestIssue } from './tenant-rules.js';
