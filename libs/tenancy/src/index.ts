export { API_KEY_PREFIX, generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys.js';
export { DEMO_TENANTS } from './demo-tenants.js';
export type { TenantSeed } from './demo-tenants.js';
export { TenantDirectory } from './tenant-directory.js';
export { accreditTenants, MIN_TENANT_BALANCE } from './accreditation.js';
export type { AccreditTenantsOptions } from './accreditation.js';
