import { SignatureRequests1767720000000 } from './1767720000000-signature-requests.js';
import { SignatureRequestEntity } from './signature-request.entity.js';

/** The e-signature context's tables. */
export const SIGNATURE_ENTITIES = [SignatureRequestEntity] as const;

/** Their migrations, in order. */
export const SIGNATURE_MIGRATIONS = [SignatureRequests1767720000000] as const;
