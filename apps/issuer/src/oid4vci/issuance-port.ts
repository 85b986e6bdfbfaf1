import type { IssuanceService } from '../issuance/issuance.service.js';

export type { IssueCommand, IssuedCredential } from '../issuance/issuance.service.js';

/**
 * The part of the one issuance command OpenID4VCI uses: `issue(tenant, {credential, format, holderJwk, actor})`
 * (see {@link IssuanceService.issue} for what it accepts, returns and throws).
 */
export type Oid4vciIssuance = Pick<IssuanceService, 'issue'>;

/** Injection token of the {@link Oid4vciIssuance} port; the issuer module binds it to `IssuanceService`. */
export const OID4VCI_ISSUANCE = Symbol.for('citycred.issuer.oid4vci.issuance');
