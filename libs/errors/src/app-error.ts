/**
 * Stable error codes of CityCred, grouped by bounded context. Clients branch on the code
 * (it is the last segment of the problem+json `type` URI), never on the message.
 */
export const ErrorCode = {
  RequestMalformedJson: 'request.malformed-json',
  RequestInvalidEncoding: 'request.invalid-encoding',
  RequestInvalid: 'request.invalid',
  RequestUnsupportedMediaType: 'request.unsupported-media-type',
  RequestTooLarge: 'request.too-large',
  NotFound: 'request.not-found',
  MethodNotAllowed: 'request.method-not-allowed',
  MethodNotImplemented: 'request.method-not-implemented',
  RequestMalformedUrl: 'request.malformed-url',
  RequestUriTooLong: 'request.uri-too-long',
  RequestHeaderTooLarge: 'request.header-too-large',
  RequestTimeout: 'request.timeout',
  RequestExpectationFailed: 'request.expectation-failed',
  RequestRateLimited: 'request.rate-limited',
  RequestPersonalData: 'request.personal-data',
  AuthMissingApiKey: 'auth.missing-api-key',
  AuthInvalidApiKey: 'auth.invalid-api-key',
  AuthInvalidMetricsToken: 'auth.invalid-metrics-token',
  CredentialUnknownType: 'credential.unknown-type',
  CredentialSchemaInvalid: 'credential.schema-invalid',
  CredentialInvalid: 'credential.invalid',
  CredentialIdTaken: 'credential.id-taken',
  CredentialNotFound: 'credential.not-found',
  CredentialTypeSchemaInvalid: 'credential-type.schema-invalid',
  IssuanceTypeNotAllowed: 'issuance.type-not-allowed',
  IssuanceIssuerMismatch: 'issuance.issuer-mismatch',
  IssuanceUnsupportedFormat: 'issuance.unsupported-format',
  IssuanceNotAccredited: 'issuance.not-accredited',
  AnchorProofNotFound: 'anchor.proof-not-found',
  AnchorInvalidHash: 'anchor.invalid-hash',
  AnchorRefused: 'anchor.refused',
  AnchorIssuerNotFound: 'anchor.issuer-not-found',
  AnchorBatchNotFound: 'anchor.batch-not-found',
  AnchorDigestNotAccredited: 'anchor.digest-not-accredited',
  AnchorDigestConflict: 'anchor.digest-conflict',
  TenantUnanchoredCredentials: 'tenant.unanchored-credentials',
  TenantKeyNotHeld: 'tenant.key-not-held',
  TenantInvalid: 'tenant.invalid',
  TenantNotFound: 'tenant.not-found',
  TenantSlugTaken: 'tenant.slug-taken',
  TenantAccreditationRefused: 'tenant.accreditation-refused',
  TenantRootKeyUnavailable: 'tenant.root-key-unavailable',
  TenantApiKeyNotFound: 'tenant.api-key-not-found',
  TenantBusinessNumberInvalid: 'tenant.business-number-invalid',
  Oid4vciUnknownIssuer: 'oid4vci.unknown-issuer',
  Oid4vciUnknownConfiguration: 'oid4vci.unknown-credential-configuration',
  Oid4vciOfferNotFound: 'oid4vci.offer-not-found',
  Oid4vciBulkJobNotFound: 'oid4vci.bulk-job-not-found',
  Oid4vciOfferLifetimeTooLong: 'oid4vci.offer-lifetime-too-long',
  Oid4vciTxCodeRequired: 'oid4vci.tx-code-required',
  Oid4vciInvalidHolder: 'oid4vci.invalid-holder',
  DemoCitizenNotFound: 'demo.citizen-not-found',
  Oid4vpRequestNotFound: 'oid4vp.request-not-found',
  Oid4vpRequestClosed: 'oid4vp.request-closed',
  ProgramPageNotFound: 'program.page-not-found',
  SignatureRequestNotFound: 'signature.request-not-found',
  PetitionNotFound: 'petition.not-found',
  PetitionClosed: 'petition.closed',
  PetitionOpen: 'petition.open',
  PetitionRequestNotFound: 'petition.request-not-found',
  ProgramApplicationNotFound: 'program.application-not-found',
  ProgramApplicationNotDecided: 'program.application-not-decided',
  ProgramNotEligible: 'program.not-eligible',
  ProgramNoEligibilityCredential: 'program.no-eligibility-credential',
  ProgramNoSingleHolder: 'program.no-single-holder',
  ProgramOfferInProgress: 'program.offer-in-progress',
  ProgramOfferReceived: 'program.offer-received',
  ProgramIssuerUnavailable: 'program.issuer-unavailable',
  ProgramIssuerNotConfigured: 'program.issuer-not-configured',
  StatusUnknownCredential: 'status.unknown-credential',
  StatusRevoked: 'status.revoked',
  StatusPurposeNotSupported: 'status.purpose-not-supported',
  StatusListNotFound: 'status-list.not-found',
  ConsoleSignInFailed: 'console.sign-in-failed',
  ConsoleSignInThrottled: 'console.sign-in-throttled',
  ConsoleSignedOut: 'console.signed-out',
  ConsoleForbidden: 'console.forbidden',
  ConsoleCityAdminOnly: 'console.city-admin-only',
  ConsoleCsrfHeaderMissing: 'console.csrf-header-missing',
  ConsoleOperatorExists: 'console.operator-exists',
  ConsoleWeakPassword: 'console.weak-password',
  ConsoleFeatureUnavailable: 'console.feature-unavailable',
  LaborEmployerOnly: 'labor.employer-only',
  LaborTermsRefused: 'labor.terms-refused',
  LaborContractNotFound: 'labor.contract-not-found',
  LaborContractState: 'labor.contract-state',
  LaborSignatureInvalid: 'labor.signature-invalid',
  LaborAttendanceInvalid: 'labor.attendance-invalid',
  LaborInsuranceIssuerMissing: 'labor.insurance-issuer-missing',
  LaborBusinessNumberMissing: 'labor.business-number-missing',
  LaborQrInvalid: 'labor.qr-invalid',
  LaborQrExpired: 'labor.qr-expired',
  LaborNonceReused: 'labor.nonce-reused',
  LaborAttendanceStale: 'labor.attendance-stale',
  LaborAttendanceOrder: 'labor.attendance-order',
  LaborEventTime: 'labor.event-time',
  LaborCorrectionNotFound: 'labor.correction-not-found',
  VerificationFailed: 'verification.failed',
  VerificationUnknownPolicy: 'verification.unknown-policy',
  VerificationUnknownOption: 'verification.unknown-option',
  DidMalformed: 'did.malformed',
  DidMethodNotSupported: 'did.method-not-supported',
  DidForeignNetwork: 'did.foreign-network',
  DidResolutionUnavailable: 'did.resolution-unavailable',
  ServiceUnavailable: 'service.unavailable',
  Internal: 'service.internal',
} as const;

/** One of the stable codes in {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status and human title for each code; the single mapping every transport uses. */
export const ERROR_HTTP: Readonly<Record<ErrorCode, { status: number; title: string }>> = Object.freeze({
  'request.malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  'request.invalid-encoding': { status: 400, title: 'The request body is not valid UTF-8' },
  'request.invalid': { status: 400, title: 'The request is not valid' },
  'request.unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'request.too-large': { status: 413, title: 'The request body is too large' },
  'request.not-found': { status: 404, title: 'Not found' },
  'request.method-not-allowed': { status: 405, title: 'Method not allowed' },
  'request.method-not-implemented': { status: 501, title: 'The request method is not implemented' },
  'request.malformed-url': { status: 400, title: 'The request URL is malformed' },
  'request.uri-too-long': { status: 414, title: 'The request URI is too long' },
  'request.header-too-large': { status: 431, title: 'The request header fields are too large' },
  'request.timeout': { status: 408, title: 'The request was not received in time' },
  'request.expectation-failed': { status: 417, title: 'The Expect header cannot be met' },
  'request.rate-limited': { status: 429, title: 'Too many requests from this client' },
  'request.personal-data': { status: 400, title: 'The request carries a resident registration number' },
  'auth.missing-api-key': { status: 401, title: 'An API key is required' },
  'auth.invalid-api-key': { status: 401, title: 'The API key is not valid' },
  'auth.invalid-metrics-token': { status: 401, title: 'The metrics token is missing or not valid' },
  'credential.unknown-type': { status: 400, title: 'Unknown credential type' },
  'credential.schema-invalid': { status: 422, title: 'The credential subject does not match its schema' },
  'credential.invalid': { status: 400, title: 'The credential cannot be issued as given' },
  'credential.id-taken': { status: 409, title: 'A credential with this id was already issued' },
  'credential.not-found': { status: 404, title: 'No such credential was issued here' },
  'credential-type.schema-invalid': { status: 400, title: 'The JSON Schema cannot be registered' },
  'issuance.type-not-allowed': { status: 403, title: 'This tenant may not issue this credential type' },
  'issuance.issuer-mismatch': { status: 403, title: 'The issuer must be the calling tenant' },
  'issuance.unsupported-format': { status: 400, title: 'Unsupported proof format' },
  'issuance.not-accredited': { status: 403, title: 'The tenant is not accredited on the city chain for this credential type now' },
  'anchor.proof-not-found': { status: 404, title: 'No credential with this hash was issued here' },
  'anchor.invalid-hash': { status: 400, title: 'The credential hash is not 32 bytes of hex' },
  'anchor.refused': { status: 409, title: 'The chain refused to anchor this credential; it is set aside, not pending' },
  'anchor.issuer-not-found': { status: 404, title: 'No issuer with this DID issues here' },
  'anchor.batch-not-found': { status: 404, title: 'No anchored batch with this root' },
  'anchor.digest-not-accredited': { status: 403, title: 'The tenant is not accredited on the city chain for the record type of this digest now' },
  'anchor.digest-conflict': { status: 409, title: 'This digest is already queued for anchoring as something else or by another tenant' },
  'tenant.unanchored-credentials': { status: 409, title: "The tenant's key cannot be rotated while credentials it signed are not anchored" },
  'tenant.key-not-held': { status: 409, title: "The tenant's identity is owned on chain by a key this issuer does not hold" },
  'tenant.invalid': { status: 400, title: 'The tenant request is not valid' },
  'tenant.not-found': { status: 404, title: 'No tenant with this slug' },
  'tenant.slug-taken': { status: 409, title: 'A tenant with this slug already exists' },
  'tenant.accreditation-refused': { status: 409, title: 'The IssuerRegistry refuses this accreditation change' },
  'tenant.root-key-unavailable': { status: 503, title: 'This needs the city root key (CITY_ROOT_KEY), which this process does not hold' },
  'tenant.api-key-not-found': { status: 404, title: 'This tenant has no API key with this id' },
  'tenant.business-number-invalid': { status: 400, title: 'The business registration number is not valid (its format or check digit)' },
  'oid4vci.unknown-issuer': { status: 404, title: 'No credential issuer at this path' },
  'oid4vci.unknown-credential-configuration': { status: 400, title: 'This issuer offers no such credential configuration' },
  'oid4vci.offer-not-found': { status: 404, title: 'No live credential offer with this id' },
  'oid4vci.bulk-job-not-found': { status: 404, title: 'No bulk offer job with this id' },
  'oid4vci.offer-lifetime-too-long': { status: 400, title: 'The offer would live longer than this issuer allows' },
  'oid4vci.tx-code-required': { status: 400, title: 'An offer living this long needs a transaction code' },
  'oid4vci.invalid-holder': { status: 400, title: 'The holder an offer is bound to is not a did:jwk or did:key of a P-256 or secp256k1 key' },
  'demo.citizen-not-found': { status: 404, title: 'No demo citizen with this id' },
  'oid4vp.request-not-found': { status: 404, title: 'No presentation request with this id' },
  'oid4vp.request-closed': { status: 410, title: 'The presentation request was answered or has expired' },
  'program.page-not-found': { status: 404, title: 'No program has an application page at this address' },
  'signature.request-not-found': { status: 404, title: 'No signature request has this id' },
  'petition.not-found': { status: 404, title: 'No petition has this id' },
  'petition.closed': { status: 409, title: 'The petition is closed: it takes no more signatures' },
  'petition.open': { status: 409, title: 'The petition is still open: its tally is published when it closes' },
  'petition.request-not-found': { status: 404, title: 'No signing request of this petition has this id' },
  'program.application-not-found': { status: 404, title: "No application to this program with this id" },
  'program.application-not-decided': { status: 409, title: 'The application has no decision yet' },
  'program.not-eligible': { status: 409, title: 'The decision is not eligible: nothing is offered' },
  'program.no-eligibility-credential': { status: 409, title: 'This program issues no eligibility credential; its signed receipt is the proof' },
  'program.no-single-holder': { status: 409, title: "The application's presentations name no single wallet to offer the eligibility credential to" },
  'program.offer-in-progress': { status: 409, title: 'The eligibility credential is being offered by another request; ask again shortly' },
  'program.offer-received': { status: 409, title: "The application's eligibility offer was already redeemed: its credential is not offered again" },
  'program.issuer-unavailable': { status: 503, title: "The eligibility credential's issuer could not make the offer; the decision stands, try again" },
  'program.issuer-not-configured': { status: 503, title: "This verifier holds no API key for the eligibility credential's issuer" },
  'status.unknown-credential': { status: 404, title: 'No credential with this id was issued by this tenant' },
  'status.revoked': { status: 409, title: 'The credential is revoked; revocation is final' },
  'status.purpose-not-supported': { status: 409, title: 'The credential carries no status entry for this change' },
  'status-list.not-found': { status: 404, title: 'No status list with this id is published here' },
  'console.sign-in-failed': { status: 401, title: 'The tenant, username or password is wrong' },
  'console.sign-in-throttled': { status: 429, title: 'Too many failed sign-ins for this operator; try again later' },
  'console.signed-out': { status: 401, title: 'Not signed in to the console, or the session has expired' },
  'console.forbidden': { status: 403, title: "The operator's role does not allow this" },
  'console.city-admin-only': { status: 403, title: "Only the city's administrators may do this" },
  'console.csrf-header-missing': { status: 403, title: 'A console request that changes state must carry x-citycred-console: 1' },
  'console.operator-exists': { status: 409, title: 'The tenant already has an operator with this username' },
  'console.weak-password': { status: 400, title: 'The password is too short' },
  'console.feature-unavailable': { status: 501, title: 'This console feature is not available on this issuer yet' },
  'labor.employer-only': { status: 403, title: 'Only an employer tenant has labour contracts' },
  'labor.terms-refused': { status: 422, title: 'The contract terms break the Labor Standards Act' },
  'labor.contract-not-found': { status: 404, title: 'No labour contract with this id and token' },
  'labor.contract-state': { status: 409, title: 'The labour contract is not in a state that allows this' },
  'labor.signature-invalid': { status: 400, title: 'The signature over the contract hash does not verify' },
  'labor.attendance-invalid': { status: 409, title: "The contract's attendance chain does not pass its checks" },
  'labor.insurance-issuer-missing': { status: 409, title: 'No employment-insurance tenant issues SocialInsuranceEnrollment here' },
  'labor.business-number-missing': { status: 409, title: "The employer's business registration number is not on record" },
  'labor.qr-invalid': { status: 400, title: "The workplace QR is not one this contract's employer signed" },
  'labor.qr-expired': { status: 400, title: 'The workplace QR is more than 30 seconds old; scan the one shown now' },
  'labor.nonce-reused': { status: 409, title: "The workplace QR's nonce was already used in this contract" },
  'labor.attendance-stale': { status: 409, title: "The event does not follow the contract's current attendance head" },
  'labor.attendance-order': { status: 409, title: 'Check-ins and check-outs must alternate' },
  'labor.event-time': { status: 400, title: "The event's time is too far from the server's clock" },
  'labor.correction-not-found': { status: 404, title: 'No pending correction of this contract matches' },
  'verification.failed': { status: 400, title: 'The credential could not be verified' },
  'verification.unknown-policy': { status: 400, title: 'Unknown verification policy' },
  'verification.unknown-option': { status: 400, title: 'Unknown verification option' },
  'did.malformed': { status: 400, title: 'The DID is not well-formed' },
  'did.method-not-supported': { status: 501, title: 'This resolver does not resolve DIDs of this method' },
  'did.foreign-network': { status: 404, title: "The DID is not on the city chain's network" },
  'did.resolution-unavailable': { status: 503, title: 'The city chain is not answering; the DID cannot be resolved now' },
  'service.unavailable': { status: 503, title: 'The service is unavailable' },
  'service.internal': { status: 500, title: 'Internal error' },
});

/** Base URI of problem types; `type` = base + code. */
export const PROBLEM_TYPE_BASE = 'https://citycred.seoul.go.kr/problems/';

/**
 * The one error class of CityCred. Throw it for anything a client should see with a stable code;
 * the HTTP edge maps it to RFC 9457 problem+json through {@link toProblem}.
 */
export class AppError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Extra members for the problem document (e.g. validation `errors`). Never secrets or stack traces. */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** Whole seconds after which the client may try again, sent as `Retry-After` (an outage or a limit); else undefined. */
  readonly retryAfterSeconds: number | undefined;

  /**
   * @param code - stable code, see {@link ErrorCode}
   * @param detail - human explanation specific to this occurrence, safe to show to the client
   * @param options - `cause` (logged, never sent), `extensions` (sent) and `retryAfterSeconds` (sent as `Retry-After`)
   */
  constructor(code: ErrorCode, detail: string, options: { cause?: unknown; extensions?: Record<string, unknown>; retryAfterSeconds?: number } = {}) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.extensions = Object.freeze({ ...(options.extensions ?? {}) });
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** HTTP status this error maps to. */
  get status(): number {
    return ERROR_HTTP[this.code].status;
  }
}

/** RFC 9457 problem details document. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  instance?: string;
  [extension: string]: unknown;
}

/**
 * Builds the problem+json document of an error code.
 * @param code - stable code
 * @param detail - occurrence-specific explanation
 * @param extensions - extra members (must not collide with the standard members)
 * @returns the document; its `status` is the HTTP status to answer with
 */
export function problemFor(code: ErrorCode, detail?: string, extensions: Record<string, unknown> = {}): ProblemDocument {
  const { status, title } = ERROR_HTTP[code];
  return { ...extensions, type: `${PROBLEM_TYPE_BASE}${code}`, title, status, code, ...(detail ? { detail } : {}) };
}

/**
 * Maps any thrown value to a problem document. An {@link AppError} keeps its code and detail; anything else
 * becomes `service.internal` with a generic detail, so no message or stack of an unexpected fault leaks.
 * @param error - what was thrown
 * @returns the problem document to send
 */
export function toProblem(error: unknown): ProblemDocument {
  if (error instanceof AppError) return problemFor(error.code, error.message, { ...error.extensions });
  return problemFor(ErrorCode.Internal, 'An unexpected error occurred; it has been logged.');
}
