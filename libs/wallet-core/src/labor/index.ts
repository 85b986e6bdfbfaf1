/**
 * The worker's side of labour contracts and attendance (issue 19, docs/wallet.md "Labour contracts"): the contract
 * review read and checked on the phone (hash recomputed, terms assessed with the wallet's own minimum-wage table),
 * the worker's detached-JWS signature, offers waiting at the review, workplace QRs, co-signed attendance events kept
 * by the wallet, corrections, the timesheet and the export. Browser code: `fetch` and WebCrypto only.
 */
export { checkContractReview, contractSubUrl, fetchContractReview, parseContractLink, pendingCorrectionSchema, refreshContract, signContract, signDetachedHash, waitingOffers, withReview, type ContractReview, type ContractReviewCheck, type ContractReviewLink, type PendingCorrection } from './contract.js';
export {
  attendanceExport,
  checkWalletChain,
  contractsForQr,
  correctionEvent,
  fetchAttendance,
  isCheckedIn,
  looksLikeWorkplaceQr,
  mergeAttendance,
  nextAttendanceEvent,
  parseWorkplaceQr,
  recordAttendance,
  signCorrection,
  syncAttendance,
  timesheetOf,
  verifyDetachedEs256,
  type ServiceAttendance,
  type Timesheet,
  type TimesheetDay,
  type WorkplaceQr,
} from './attendance.js';
export { checkEmployerSignatures, detachedVerifierOf, type EmployerSignatureReading, type EmployerSigned } from './employer-signature.js';
export { LABOR_MESSAGES, LaborWalletError, LaborWalletErrorCode } from './errors.js';
export { laborContractRecordSchema, signedAttendanceEventSchema, type LaborContractRecord } from './record.js';
