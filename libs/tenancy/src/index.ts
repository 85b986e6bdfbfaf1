export { API_KEY_PREFIX, generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys.js';
export { DEMO_TENANTS } from './demo-tenants.js';
export type { TenantSeed } from './demo-tenants.js';
export { TenantDirectory } from './tenant-directory.js';
export type { KeyRotation, TenantDirectoryOptions } from './tenant-directory.js';
export { API_KEY_SHOWN_PREFIX_LENGTH, ApiKeyStore } from './api-key-store.js';
export type { ApiKeyRevocation, ApiKeySummary } from './api-key-store.js';
export type { ApiKeyCacheOptions } from './authenticated-key-cache.js';
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
