import { OidcProvider1767600000000 } from './1767600000000-oidc-provider.js';
import { OidcPayloadEntity, OidcSecretEntity } from './oidc.entity.js';

/** The OpenID Provider context's tables. */
export const OIDC_ENTITIES = [OidcPayloadEntity, OidcSecretEntity] as const;

/** Their migrations, in order. */
export const OIDC_MIGRATIONS = [OidcProvider1767600000000] as const;
