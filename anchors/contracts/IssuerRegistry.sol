// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC1056} from "./IERC1056.sol";

/**
 * @title IssuerRegistry
 * @notice The city's register of who may issue which credential types, and when.
 *
 * The city root account accredits issuers (departments) for credential types over validity
 * windows, and may delegate credential types to departments, which then accredit employers
 * for those types. Nothing is ever deleted: windows, delegations and suspensions are
 * append-only periods, so "was issuer X accredited for type T at time t" keeps its historical
 * answer and credentials issued before a revocation remain attributable.
 *
 * Trust model (see docs/adr/0005-trust-model-v2.md):
 * - Only the root decides about departments. A department may accredit only employers: never
 *   the root (or the proposed root), itself, an address that ever held a delegation, or an
 *   address the root ever accredited directly. An accreditation cannot start more than
 *   {backdateTolerance} seconds before or after the block that records it (so no window can
 *   block an issuer's later windows beyond that tolerance once it is revoked or withdrawn).
 * - What a department remains trusted with: it can still make any fresh address (one of its
 *   own included) an employer for the types delegated to it, and revoke the windows it made.
 *   Every window records its accreditor, so the city can audit this and suspend the employer.
 * - A department is a did:ethr identity and acts through its current ERC-1056 owner key: it
 *   calls the plain functions itself while it owns its identity, and after a key rotation
 *   (`changeOwner`) its new key calls {accreditIssuerAs} / {revokeAccreditationAs} naming the
 *   department. Rights, windows and events stay with the identity address, never with a key; a
 *   key that no longer owns the identity (the department's own address after a rotation
 *   included) cannot act for it. The root is a plain account: its authority moves only by
 *   {proposeRoot} / {acceptRoot}, never by ERC-1056.
 * - When the root revokes a window, the issuer is also suspended for that type until the root
 *   reinstates it; no department can accredit a suspended issuer.
 * - A department's windows count only while the delegation period during which they were made
 *   is open: withdrawing the delegation ends them at that moment. The root may then accredit
 *   those employers directly.
 *
 * Lookups are binary searches over time-ordered, non-overlapping periods, so their cost grows
 * with the logarithm of an issuer's history, whatever a department pushes into it.
 *
 * Credential types are identified by `keccak256(bytes(typeName))`, e.g.
 * `keccak256("SeoulCitizenCard")`; `bytes32(0)` stands for "all types" in suspensions. Only
 * addresses and type hashes are stored: no personal data ever reaches this contract.
 */
contract IssuerRegistry {
    /// @notice One accreditation window of an issuer for a credential type (times in unix seconds).
    struct Accreditation {
        /// The account that made it.
        address accreditor;
        /// Whether the accreditor was the root when it made it (such windows need no delegation).
        bool byRoot;
        /// Start of the window (inclusive).
        uint64 validFrom;
        /// End of the window (exclusive).
        uint64 validUntil;
        /// Block time of its revocation; 0 while not revoked.
        uint64 revokedAt;
        /// Index of the accreditor's delegation period it was made in (meaningless when `byRoot`).
        uint64 delegationIndex;
    }

    /// @notice A period [start, end) in unix seconds; `end` is `type(uint64).max` while open.
    struct Period {
        uint64 start;
        uint64 end;
    }

    /// @notice Version of the CityCred contract interfaces this registry implements.
    uint256 public constant VERSION = 3;

    /// @notice `bytes32(0)` as a credential type in suspensions: all credential types.
    bytes32 public constant ALL_TYPES = bytes32(0);

    uint64 private constant OPEN = type(uint64).max;

    /// @notice How many seconds before the recording block an accreditation may start at most.
    uint64 public immutable backdateTolerance;

    /// @notice The ERC-1056 registry consulted for the key that currently acts for a department.
    IERC1056 public immutable didRegistry;

    /// @notice The city root account: accredits departments, delegates types, suspends issuers.
    address public root;

    /// @notice The account proposed as the next root, until it accepts; zero when none.
    address public pendingRoot;

    /// @notice Whether the root ever delegated a credential type to this address (a department).
    mapping(address account => bool) public everDelegated;

    /// @notice Whether the root ever accredited this address directly (a department).
    mapping(address account => bool) public everAccreditedByRoot;

    mapping(address issuer => mapping(bytes32 credentialType => Accreditation[])) private _windows;
    mapping(address issuer => bytes32[]) private _issuerTypes;
    mapping(address issuer => mapping(bytes32 credentialType => bool)) private _knownType;
    mapping(address department => mapping(bytes32 credentialType => Period[])) private _delegations;
    mapping(address issuer => mapping(bytes32 credentialType => Period[])) private _suspensions;

    /**
     * @dev The caller is not the city root account.
     * @param caller The account that made the call.
     */
    error NotRoot(address caller);

    /**
     * @dev The caller is not the current ERC-1056 owner of the department identity it acts for
     * (or, calling a plain function as a department, of its own address).
     * @param caller The account that made the call.
     * @param identity The department identity it acted for.
     * @param owner The identity's current owner.
     */
    error NotIdentityOwner(address caller, address identity, address owner);

    /**
     * @dev The caller is not the proposed root.
     * @param caller The account that made the call.
     */
    error NotPendingRoot(address caller);

    /**
     * @dev The proposed root has a history in this registry (accreditation windows or a
     * delegation); the root must be an account that is never accredited.
     * @param account The proposed root.
     */
    error UnsuitableRoot(address account);

    /**
     * @dev The root, or the proposed root, was named as an issuer to accredit or a department to
     * delegate to.
     * @param account The root or proposed root account.
     */
    error RootNotAllowed(address account);

    /**
     * @dev The caller may not accredit issuers for this credential type (now).
     * @param caller The account that made the call.
     * @param credentialType The credential type hash it tried to accredit or revoke.
     */
    error AccreditorNotAuthorized(address caller, bytes32 credentialType);

    /**
     * @dev The caller named itself as the issuer to accredit.
     * @param caller The account that made the call.
     */
    error SelfAccreditation(address caller);

    /**
     * @dev A department tried to accredit an address that is not an employer: one that ever held a
     * delegation or was ever accredited by the root directly.
     * @param department The department that made the call.
     * @param issuer The address it tried to accredit.
     */
    error NotAnEmployer(address department, address issuer);

    /**
     * @dev The root has the issuer suspended for this credential type (or for all types) now.
     * @param issuer The issuer address.
     * @param credentialType The credential type hash.
     */
    error IssuerIsSuspended(address issuer, bytes32 credentialType);

    /**
     * @dev The accreditation would start more than {backdateTolerance} seconds before now.
     * @param validFrom The requested start (unix seconds).
     * @param earliest The earliest start accepted in this block (unix seconds).
     */
    error BackdatedAccreditation(uint64 validFrom, uint64 earliest);

    /**
     * @dev The accreditation would start more than {backdateTolerance} seconds after now. Every
     * window starts now (within the tolerance), so a revoked or withdrawn window never ends later
     * than the tolerance after it was made, and nobody can push an issuer's next window into the
     * far future (a far-future window would otherwise block every later window for good).
     * @param validFrom The requested start (unix seconds).
     * @param latest The latest start accepted in this block (unix seconds).
     */
    error FutureAccreditation(uint64 validFrom, uint64 latest);

    /**
     * @dev The new window would start before the (effective) end of the issuer's last window
     * for the type.
     * @param issuer The issuer address.
     * @param credentialType The credential type hash.
     * @param validFrom The requested start (unix seconds).
     * @param earliest The earliest start the window history allows (unix seconds).
     */
    error OverlappingWindow(address issuer, bytes32 credentialType, uint64 validFrom, uint64 earliest);

    /**
     * @dev A department tried to revoke a window it did not make; only the root may.
     * @param caller The department that made the call.
     * @param accreditor The account that made the window.
     */
    error NotTheAccreditor(address caller, address accreditor);

    /**
     * @dev The zero address was given where an account is required.
     */
    error ZeroAddress();

    /**
     * @dev No credential types were given.
     */
    error NoCredentialTypes();

    /**
     * @dev The credential type is zero, which stands for "all types" and cannot be accredited or
     * delegated.
     */
    error ZeroCredentialType();

    /**
     * @dev The validity window is empty or inverted.
     * @param validFrom Start of the window (unix seconds).
     * @param validUntil End of the window (unix seconds, exclusive).
     */
    error InvalidValidityWindow(uint64 validFrom, uint64 validUntil);

    /**
     * @dev There is no window with this index for the issuer and type.
     * @param issuer The issuer address.
     * @param credentialType The credential type hash.
     * @param index The index that was asked for.
     */
    error AccreditationNotFound(address issuer, bytes32 credentialType, uint256 index);

    /**
     * @dev The window has already been revoked.
     * @param issuer The issuer address.
     * @param credentialType The credential type hash.
     * @param index The index of the window.
     */
    error AccreditationAlreadyRevoked(address issuer, bytes32 credentialType, uint256 index);

    /**
     * @dev The issuer is already suspended for this credential type (or all types, when zero).
     * @param issuer The issuer address.
     * @param credentialType The credential type hash, zero for all types.
     */
    error AlreadySuspended(address issuer, bytes32 credentialType);

    /**
     * @dev The issuer is not suspended for this credential type (or all types, when zero).
     * @param issuer The issuer address.
     * @param credentialType The credential type hash, zero for all types.
     */
    error NotSuspended(address issuer, bytes32 credentialType);

    /// @notice Emitted when `issuer` was accredited for `credentialType` over [validFrom, validUntil).
    event IssuerAccredited(
        address indexed issuer,
        bytes32 indexed credentialType,
        address indexed accreditor,
        uint256 index,
        uint64 validFrom,
        uint64 validUntil
    );

    /// @notice Emitted when a window was revoked; it stops counting from `revokedAt`.
    event AccreditationRevoked(
        address indexed issuer,
        bytes32 indexed credentialType,
        address indexed revokedBy,
        uint256 index,
        uint64 revokedAt
    );

    /// @notice Emitted when the root suspended `issuer` for `credentialType` (zero: all types).
    event IssuerSuspended(address indexed issuer, bytes32 indexed credentialType, uint64 suspendedAt);

    /// @notice Emitted when the root lifted the suspension of `issuer` for `credentialType` (zero: all types).
    event IssuerReinstated(address indexed issuer, bytes32 indexed credentialType, uint64 reinstatedAt);

    /// @notice Emitted when a department was allowed (or no longer allowed) to accredit employers for a type.
    event AccreditorAuthorized(
        address indexed department,
        bytes32 indexed credentialType,
        bool allowed,
        uint64 changedAt
    );

    /// @notice Emitted when the root proposed `proposedRoot` as its successor (zero: proposal withdrawn).
    event RootProposed(address indexed currentRoot, address indexed proposedRoot);

    /// @notice Emitted when the city root authority moved to a new account.
    event RootTransferred(address indexed previousRoot, address indexed newRoot);

    /**
     * @param initialRoot The city root account.
     * @param backdateTolerance_ How many seconds before its block an accreditation may start.
     * @param erc1056Registry The ERC-1056 registry deciding which key acts for a department identity.
     */
    constructor(address initialRoot, uint64 backdateTolerance_, IERC1056 erc1056Registry) {
        if (initialRoot == address(0) || address(erc1056Registry) == address(0)) revert ZeroAddress();
        root = initialRoot;
        backdateTolerance = backdateTolerance_;
        didRegistry = erc1056Registry;
        emit RootTransferred(address(0), initialRoot);
    }

    /// @dev Reverts with {NotRoot} unless the caller is the current root.
    modifier onlyRoot() {
        if (msg.sender != root) revert NotRoot(msg.sender);
        _;
    }

    /**
     * @notice Proposes `proposedRoot` as the next root; the authority moves when it calls
     * {acceptRoot}. Until then the current root keeps all its rights. Proposing the zero address
     * withdraws a pending proposal.
     * @dev Reverts with {NotRoot} for any other caller and {UnsuitableRoot} when the account has
     * ever been accredited or delegated to (the root is never accredited).
     * @param proposedRoot The account to hand the root authority to.
     */
    function proposeRoot(address proposedRoot) external onlyRoot {
        if (proposedRoot != address(0) && (_issuerTypes[proposedRoot].length != 0 || everDelegated[proposedRoot])) {
            revert UnsuitableRoot(proposedRoot);
        }
        pendingRoot = proposedRoot;
        emit RootProposed(msg.sender, proposedRoot);
    }

    /**
     * @notice Completes a root transfer: the proposed root becomes the root and the previous root
     * keeps no rights at all.
     * @dev Reverts with {NotPendingRoot} unless called by the proposed root.
     */
    function acceptRoot() external {
        if (msg.sender != pendingRoot) revert NotPendingRoot(msg.sender);
        address previous = root;
        root = msg.sender;
        pendingRoot = address(0);
        emit RootTransferred(previous, msg.sender);
    }

    /**
     * @notice Allows or stops `department` accrediting employers for the given types.
     * @dev Only the root may call this. Allowing opens a delegation period now, withdrawing closes the
     * open one now; a type already in the requested state is left as it is (no event). Withdrawing
     * ends, at that moment, every window the department made for the type. Reverts with {NotRoot},
     * {ZeroAddress}, {NoCredentialTypes}, {ZeroCredentialType} or {RootNotAllowed}.
     * @param department The department's issuer address.
     * @param credentialTypes The type hashes concerned.
     * @param allowed True to grant, false to withdraw.
     */
    function setAccreditorTypes(address department, bytes32[] calldata credentialTypes, bool allowed)
        external
        onlyRoot
    {
        if (department == address(0)) revert ZeroAddress();
        if (department == root || department == pendingRoot) revert RootNotAllowed(department);
        if (credentialTypes.length == 0) revert NoCredentialTypes();
        uint64 nowSeconds = uint64(block.timestamp);
        if (allowed) everDelegated[department] = true;
        for (uint256 i = 0; i < credentialTypes.length; ++i) {
            bytes32 credentialType = credentialTypes[i];
            if (credentialType == ALL_TYPES) revert ZeroCredentialType();
            Period[] storage periods = _delegations[department][credentialType];
            bool open = _isOpen(periods);
            if (allowed == open) continue;
            if (allowed) periods.push(Period({start: nowSeconds, end: OPEN}));
            else periods[periods.length - 1].end = nowSeconds;
            emit AccreditorAuthorized(department, credentialType, allowed, nowSeconds);
        }
    }

    /**
     * @notice Accredits `issuer` for each of `credentialTypes` over [validFrom, validUntil).
     * @dev The root may accredit any address but itself and the proposed root; a department (with
     * an open delegation for each type) only employers, see {NotAnEmployer}. A caller other than
     * the root acts as the department at its own address, which it must still own on ERC-1056
     * ({NotIdentityOwner}: after a key rotation the department's old key acts for nobody, and its
     * new key uses {accreditIssuerAs}). Each new window must start within {backdateTolerance}
     * seconds of `block.timestamp` (neither earlier nor later) and no earlier than the effective
     * end of the issuer's last window for the type; a suspended issuer cannot be accredited.
     * Reverts with {ZeroAddress}, {NoCredentialTypes}, {InvalidValidityWindow},
     * {BackdatedAccreditation}, {FutureAccreditation},
     * {NotIdentityOwner}, {AccreditorNotAuthorized}, {ZeroCredentialType}, {SelfAccreditation},
     * {RootNotAllowed}, {NotAnEmployer}, {IssuerIsSuspended} or {OverlappingWindow}.
     * @param issuer The issuer's address (the did:ethr identity).
     * @param credentialTypes The type hashes to accredit.
     * @param validFrom Start of the window (unix seconds).
     * @param validUntil End of the window (unix seconds, exclusive); must be after validFrom.
     */
    function accreditIssuer(
        address issuer,
        bytes32[] calldata credentialTypes,
        uint64 validFrom,
        uint64 validUntil
    ) external {
        bool byRoot = msg.sender == root;
        if (!byRoot) _requireOwnerOf(msg.sender);
        _accredit(msg.sender, byRoot, issuer, credentialTypes, validFrom, validUntil);
    }

    /**
     * @notice Accredits `issuer` as {accreditIssuer} does when called by `department`; sent by the
     * department identity's current ERC-1056 owner key (its new key after a key rotation). The
     * window, its event and every refusal name `department`, not the sending key.
     * @dev Reverts with {NotIdentityOwner} unless `msg.sender == didRegistry.identityOwner(department)`,
     * with {RootNotAllowed} when `department` is the root (the root acts only as itself, through
     * {accreditIssuer}), and otherwise as {accreditIssuer} does for a department.
     * @param department The department's did:ethr identity address.
     * @param issuer The employer's address (its did:ethr identity).
     * @param credentialTypes The type hashes to accredit.
     * @param validFrom Start of the window (unix seconds).
     * @param validUntil End of the window (unix seconds, exclusive); must be after validFrom.
     */
    function accreditIssuerAs(
        address department,
        address issuer,
        bytes32[] calldata credentialTypes,
        uint64 validFrom,
        uint64 validUntil
    ) external {
        _requireActingFor(department);
        _accredit(department, false, issuer, credentialTypes, validFrom, validUntil);
    }

    /**
     * @notice Revokes one window from now on; its past remains on record.
     * @dev The root may revoke any window, and doing so also suspends the issuer for the type until
     * the root reinstates it ({IssuerSuspended}), so no department can accredit it again. A
     * department may revoke only the windows it made, while its delegation for the type is open; a
     * caller other than the root acts as the department at its own address, which it must still
     * own on ERC-1056 (after a key rotation the new key uses {revokeAccreditationAs}). Reverts with
     * {NotIdentityOwner}, {AccreditorNotAuthorized}, {AccreditationNotFound}, {NotTheAccreditor} or
     * {AccreditationAlreadyRevoked}.
     * @param issuer The issuer address.
     * @param credentialType The type hash.
     * @param index The window's index, as emitted in {IssuerAccredited}.
     */
    function revokeAccreditation(address issuer, bytes32 credentialType, uint256 index) external {
        bool byRoot = msg.sender == root;
        if (!byRoot) _requireOwnerOf(msg.sender);
        _revoke(msg.sender, byRoot, issuer, credentialType, index);
    }

    /**
     * @notice Revokes one window as {revokeAccreditation} does when called by `department`; sent by
     * the department identity's current ERC-1056 owner key. The event and every refusal name
     * `department`, not the sending key.
     * @dev Reverts with {NotIdentityOwner} unless `msg.sender == didRegistry.identityOwner(department)`,
     * with {RootNotAllowed} when `department` is the root, and otherwise as {revokeAccreditation}
     * does for a department.
     * @param department The department's did:ethr identity address.
     * @param issuer The issuer address.
     * @param credentialType The type hash.
     * @param index The window's index, as emitted in {IssuerAccredited}.
     */
    function revokeAccreditationAs(address department, address issuer, bytes32 credentialType, uint256 index)
        external
    {
        _requireActingFor(department);
        _revoke(department, false, issuer, credentialType, index);
    }

    /**
     * @notice Suspends `issuer` for `credentialType` (zero: all types) from now until reinstated:
     * it is not accredited for it meanwhile and nobody can accredit it.
     * @dev Only the root. Reverts with {NotRoot}, {ZeroAddress} or {AlreadySuspended}.
     * @param issuer The issuer address.
     * @param credentialType The type hash, or zero for all types.
     */
    function suspendIssuer(address issuer, bytes32 credentialType) external onlyRoot {
        if (issuer == address(0)) revert ZeroAddress();
        Period[] storage suspensions = _suspensions[issuer][credentialType];
        if (_isOpen(suspensions)) revert AlreadySuspended(issuer, credentialType);
        uint64 nowSeconds = uint64(block.timestamp);
        suspensions.push(Period({start: nowSeconds, end: OPEN}));
        emit IssuerSuspended(issuer, credentialType, nowSeconds);
    }

    /**
     * @notice Ends the suspension of `issuer` for `credentialType` (zero: all types) now. Windows
     * revoked meanwhile stay revoked; the issuer needs a new window to be accredited again.
     * @dev Only the root. Reverts with {NotRoot} or {NotSuspended}.
     * @param issuer The issuer address.
     * @param credentialType The type hash, or zero for all types.
     */
    function reinstateIssuer(address issuer, bytes32 credentialType) external onlyRoot {
        Period[] storage suspensions = _suspensions[issuer][credentialType];
        if (!_isOpen(suspensions)) revert NotSuspended(issuer, credentialType);
        uint64 nowSeconds = uint64(block.timestamp);
        suspensions[suspensions.length - 1].end = nowSeconds;
        emit IssuerReinstated(issuer, credentialType, nowSeconds);
    }

    /**
     * @notice Whether `issuer` was accredited for `credentialType` at unix time `atTime`.
     * @dev True when one of its windows covers `atTime` (not revoked by then), the issuer was not
     * suspended for the type or for all types at `atTime`, and the window was made by the root or
     * within a delegation period of its accreditor that covers `atTime`. O(log n) in the number of
     * windows, suspensions and delegation periods.
     * @param issuer The issuer address.
     * @param credentialType The type hash.
     * @param atTime The moment asked about (unix seconds).
     * @return Whether the issuer was accredited for the type at that moment.
     */
    function isAccredited(address issuer, bytes32 credentialType, uint64 atTime) external view returns (bool) {
        return _accreditedUntil(issuer, credentialType, atTime) != 0;
    }

    /**
     * @notice Until when the window that accredits `issuer` for `credentialType` at unix time `atTime`
     * counts, as the registry stands now.
     * @dev The window's effective end: its `validUntil`, its revocation or (for a department's window)
     * the end of the delegation period it was made in, whichever comes first. A revocation, suspension
     * or withdrawal recorded later can end it sooner. Zero when {isAccredited} is false.
     * @param issuer The issuer address.
     * @param credentialType The type hash.
     * @param atTime The moment asked about (unix seconds).
     * @return The end (unix seconds, exclusive; greater than `atTime`), or 0 when not accredited then.
     */
    function accreditedUntil(address issuer, bytes32 credentialType, uint64 atTime) external view returns (uint64) {
        return _accreditedUntil(issuer, credentialType, atTime);
    }

    /**
     * @notice Whether the root had `issuer` suspended for `credentialType` at unix time `atTime`,
     * either for that type or for all types (for `credentialType` zero: for all types).
     * @param issuer The issuer address.
     * @param credentialType The type hash, or zero for all types.
     * @param atTime The moment asked about (unix seconds).
     * @return Whether a suspension covered that moment.
     */
    function isSuspended(address issuer, bytes32 credentialType, uint64 atTime) external view returns (bool) {
        return _suspendedAt(issuer, credentialType, atTime);
    }

    /**
     * @notice Whether `department` may accredit employers for `credentialType` now.
     * @param department The department address.
     * @param credentialType The type hash.
     * @return True for the root, or when the department's delegation for the type is open.
     */
    function canAccredit(address department, bytes32 credentialType) external view returns (bool) {
        return department == root || _isOpen(_delegations[department][credentialType]);
    }

    /**
     * @notice How many windows `issuer` has for `credentialType`, revoked and ended ones included.
     * @param issuer The issuer address.
     * @param credentialType The type hash.
     * @return The number of windows.
     */
    function windowCount(address issuer, bytes32 credentialType) external view returns (uint256) {
        return _windows[issuer][credentialType].length;
    }

    /**
     * @notice One window of `issuer` for `credentialType`.
     * @dev Reverts with {AccreditationNotFound} when there is no such index.
     * @param issuer The issuer address.
     * @param credentialType The type hash.
     * @param index The window's index, as emitted in {IssuerAccredited}.
     * @return The window.
     */
    function windowAt(address issuer, bytes32 credentialType, uint256 index)
        external
        view
        returns (Accreditation memory)
    {
        Accreditation[] storage windows = _windows[issuer][credentialType];
        if (index >= windows.length) revert AccreditationNotFound(issuer, credentialType, index);
        return windows[index];
    }

    /**
     * @notice A page of the windows of `issuer` for `credentialType`, in the order they were made.
     * @param issuer The issuer address.
     * @param credentialType The type hash.
     * @param offset Index of the first window to return.
     * @param limit Largest number of windows to return.
     * @return page The windows [offset, min(offset + limit, windowCount)); empty past the end.
     */
    function accreditationsOf(address issuer, bytes32 credentialType, uint256 offset, uint256 limit)
        external
        view
        returns (Accreditation[] memory page)
    {
        Accreditation[] storage windows = _windows[issuer][credentialType];
        if (offset >= windows.length) return page;
        uint256 end = windows.length - offset > limit ? offset + limit : windows.length;
        page = new Accreditation[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            page[i - offset] = windows[i];
        }
    }

    /**
     * @notice The credential types `issuer` has ever had a window for, in first-accredited order.
     * @param issuer The issuer address.
     * @return The type hashes.
     */
    function credentialTypesOf(address issuer) external view returns (bytes32[] memory) {
        return _issuerTypes[issuer];
    }

    /**
     * @notice Every delegation period of `department` for `credentialType`, in time order.
     * @param department The department address.
     * @param credentialType The type hash.
     * @return The periods; the last one has `end == type(uint64).max` while open.
     */
    function delegationsOf(address department, bytes32 credentialType) external view returns (Period[] memory) {
        return _delegations[department][credentialType];
    }

    /**
     * @notice Every suspension period of `issuer` for `credentialType` (zero: all types), in time order.
     * @param issuer The issuer address.
     * @param credentialType The type hash, or zero for all types.
     * @return The periods; the last one has `end == type(uint64).max` while open.
     */
    function suspensionsOf(address issuer, bytes32 credentialType) external view returns (Period[] memory) {
        return _suspensions[issuer][credentialType];
    }

    /// @dev Reverts with {NotIdentityOwner} unless the caller is the current ERC-1056 owner of `identity`.
    function _requireOwnerOf(address identity) private view {
        address owner = didRegistry.identityOwner(identity);
        if (msg.sender != owner) revert NotIdentityOwner(msg.sender, identity, owner);
    }

    /// @dev Reverts unless the caller may act for `department` through the `…As` functions.
    function _requireActingFor(address department) private view {
        _requireOwnerOf(department);
        if (department == root) revert RootNotAllowed(department);
    }

    /// @dev {accreditIssuer} on behalf of `accreditor` (the root when `byRoot`, else a department).
    function _accredit(
        address accreditor,
        bool byRoot,
        address issuer,
        bytes32[] calldata credentialTypes,
        uint64 validFrom,
        uint64 validUntil
    ) private {
        if (issuer == address(0)) revert ZeroAddress();
        if (credentialTypes.length == 0) revert NoCredentialTypes();
        if (validUntil <= validFrom) revert InvalidValidityWindow(validFrom, validUntil);
        uint64 nowSeconds = _requireStartNearNow(validFrom);
        for (uint256 i = 0; i < credentialTypes.length; ++i) {
            bytes32 credentialType = credentialTypes[i];
            if (credentialType == ALL_TYPES) revert ZeroCredentialType();
            uint64 delegationIndex = byRoot ? 0 : _openDelegationIndex(accreditor, credentialType);
            _requireAccreditable(accreditor, issuer, byRoot);
            if (_suspendedAt(issuer, credentialType, nowSeconds)) revert IssuerIsSuspended(issuer, credentialType);
            Accreditation[] storage windows = _windows[issuer][credentialType];
            if (windows.length != 0) {
                uint64 lastEnd = _effectiveEnd(windows[windows.length - 1], credentialType);
                if (validFrom < lastEnd) revert OverlappingWindow(issuer, credentialType, validFrom, lastEnd);
            }
            windows.push(
                Accreditation({
                    accreditor: accreditor,
                    byRoot: byRoot,
                    validFrom: validFrom,
                    validUntil: validUntil,
                    revokedAt: 0,
                    delegationIndex: delegationIndex
                })
            );
            if (!_knownType[issuer][credentialType]) {
                _knownType[issuer][credentialType] = true;
                _issuerTypes[issuer].push(credentialType);
            }
            emit IssuerAccredited(issuer, credentialType, accreditor, windows.length - 1, validFrom, validUntil);
        }
        if (byRoot) everAccreditedByRoot[issuer] = true;
    }

    /// @dev Reverts unless `validFrom` is within {backdateTolerance} seconds of now (either side);
    /// returns now (unix seconds).
    function _requireStartNearNow(uint64 validFrom) private view returns (uint64 nowSeconds) {
        nowSeconds = uint64(block.timestamp);
        uint64 earliest = nowSeconds > backdateTolerance ? nowSeconds - backdateTolerance : 0;
        if (validFrom < earliest) revert BackdatedAccreditation(validFrom, earliest);
        uint64 latest = backdateTolerance > type(uint64).max - nowSeconds
            ? type(uint64).max
            : nowSeconds + backdateTolerance;
        if (validFrom > latest) revert FutureAccreditation(validFrom, latest);
    }

    /// @dev {revokeAccreditation} on behalf of `revoker` (the root when `byRoot`, else a department).
    function _revoke(address revoker, bool byRoot, address issuer, bytes32 credentialType, uint256 index) private {
        if (!byRoot && !_isOpen(_delegations[revoker][credentialType])) {
            revert AccreditorNotAuthorized(revoker, credentialType);
        }
        Accreditation[] storage windows = _windows[issuer][credentialType];
        if (index >= windows.length) revert AccreditationNotFound(issuer, credentialType, index);
        Accreditation storage window = windows[index];
        if (!byRoot && window.accreditor != revoker) revert NotTheAccreditor(revoker, window.accreditor);
        if (window.revokedAt != 0) revert AccreditationAlreadyRevoked(issuer, credentialType, index);
        uint64 nowSeconds = uint64(block.timestamp);
        window.revokedAt = nowSeconds;
        emit AccreditationRevoked(issuer, credentialType, revoker, index, nowSeconds);
        if (byRoot) {
            Period[] storage suspensions = _suspensions[issuer][credentialType];
            if (!_isOpen(suspensions)) {
                suspensions.push(Period({start: nowSeconds, end: OPEN}));
                emit IssuerSuspended(issuer, credentialType, nowSeconds);
            }
        }
    }

    /// @dev Index of the department's open delegation period for the type; reverts when there is none.
    function _openDelegationIndex(address department, bytes32 credentialType) private view returns (uint64) {
        Period[] storage periods = _delegations[department][credentialType];
        if (!_isOpen(periods)) revert AccreditorNotAuthorized(department, credentialType);
        return uint64(periods.length - 1);
    }

    /// @dev Reverts unless `accreditor` may name `issuer` in an accreditation.
    function _requireAccreditable(address accreditor, address issuer, bool byRoot) private view {
        if (issuer == accreditor) revert SelfAccreditation(accreditor);
        if (issuer == root || issuer == pendingRoot) revert RootNotAllowed(issuer);
        if (!byRoot && (everDelegated[issuer] || everAccreditedByRoot[issuer])) {
            revert NotAnEmployer(accreditor, issuer);
        }
    }

    /// @dev When a window stops counting: at its end, its revocation or (for a department's window) the
    /// end of its delegation period, whichever comes first, but never before it starts.
    function _effectiveEnd(Accreditation storage window, bytes32 credentialType) private view returns (uint64 end) {
        end = window.validUntil;
        if (window.revokedAt != 0 && window.revokedAt < end) end = window.revokedAt;
        if (!window.byRoot) {
            uint64 delegationEnd = _delegations[window.accreditor][credentialType][window.delegationIndex].end;
            if (delegationEnd < end) end = delegationEnd;
        }
        if (end < window.validFrom) end = window.validFrom;
    }

    /// @dev Binary search: the last window with `validFrom <= atTime`. Windows are kept in start order
    /// and never overlap, so no earlier window can cover `atTime`.
    function _lastWindowStartingBy(Accreditation[] storage windows, uint64 atTime)
        private
        view
        returns (bool found, uint256 index)
    {
        uint256 low = 0;
        uint256 high = windows.length;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (windows[mid].validFrom <= atTime) low = mid + 1;
            else high = mid;
        }
        if (low == 0) return (false, 0);
        return (true, low - 1);
    }

    /// @dev {accreditedUntil}: the effective end of the window covering `atTime`, or 0.
    function _accreditedUntil(address issuer, bytes32 credentialType, uint64 atTime) private view returns (uint64 end) {
        Accreditation[] storage windows = _windows[issuer][credentialType];
        (bool found, uint256 index) = _lastWindowStartingBy(windows, atTime);
        if (!found) return 0;
        Accreditation storage window = windows[index];
        end = window.validUntil;
        uint64 revokedAt = window.revokedAt;
        if (revokedAt != 0 && revokedAt < end) end = revokedAt;
        if (atTime >= end) return 0;
        if (!window.byRoot) {
            Period storage delegation = _delegations[window.accreditor][credentialType][window.delegationIndex];
            if (atTime < delegation.start || atTime >= delegation.end) return 0;
            if (delegation.end < end) end = delegation.end;
        }
        if (_suspendedAt(issuer, credentialType, atTime)) return 0;
    }

    function _suspendedAt(address issuer, bytes32 credentialType, uint64 atTime) private view returns (bool) {
        if (_covers(_suspensions[issuer][ALL_TYPES], atTime)) return true;
        return credentialType != ALL_TYPES && _covers(_suspensions[issuer][credentialType], atTime);
    }

    /// @dev Binary search over time-ordered, non-overlapping periods: whether one covers `atTime`.
    function _covers(Period[] storage periods, uint64 atTime) private view returns (bool) {
        uint256 low = 0;
        uint256 high = periods.length;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (periods[mid].start <= atTime) low = mid + 1;
            else high = mid;
        }
        return low != 0 && atTime < periods[low - 1].end;
    }

    function _isOpen(Period[] storage periods) private view returns (bool) {
        return periods.length != 0 && periods[periods.length - 1].end == OPEN;
    }
}
