import { Oid4vpRequests1765200000000 } from './1765200000000-oid4vp-requests.js';
import { Oid4vpWalletHandles1765300000000 } from './1765300000000-oid4vp-wallet-handles.js';
import { Oid4vpTransactionData1767710000000 } from './1767710000000-oid4vp-transaction-data.js';
import { PresentationRequestEntity, VerifierSigningKeyEntity } from './presentation-request.entity.js';

/** The OpenID4VP context's tables. */
export const OID4VP_ENTITIES = [PresentationRequestEntity, VerifierSigningKeyEntity] as const;

/** Their migrations, in order. */
export const OID4VP_MIGRATIONS = [Oid4vpRequests1765200000000, Oid4vpWalletHandles1765300000000, Oid4vpTransactionData1767710000000] as const;
