// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IssuerRegistry
 * @notice The city's register of who may issue which credential types, and when.
 *
 * The city root account accredits issuers (departments, and through departments,
 * employers) for a list of credential types over a validity window. Accreditations
 * are never deleted: revoking one closes its window at the revocation time, so the
 * question "was issuer X accredited for type T at time t" keeps its historical answer
 * and credentials issued before a revocation remain attributable.
 *
 * Credential types are identified by `keccak256(bytes(typeName))`, e.g.
 * `keccak256("SeoulCitizenCard")`. Only addresses and type hashes are stored: no
 * personal data ever reaches this contract.
 */
contract IssuerRegistry {
    /// @notice One accreditation window of an issuer for a credential type.
    struct Accreditation {
        address accreditor;
        uint64 validFrom;
        uint64 validUntil;
        uint64 revokedAt;
    }

    /// @notice The city root account: accredits any type and authorises departments.
    address public root;

    mapping(address issuer => mapping(bytes32 credentialType => Accreditation[])) private _accreditations;
    mapping(address issuer => bytes32[]) private _issuerTypes;
    mapping(address issuer => mapping(bytes32 credentialType => bool)) private _knownType;
    mapping(address department => mapping(bytes32 credentialType => bool)) private _delegatedTypes;

    /**
     * @dev The caller is not the city root account.
     * @param caller The account that made the call.
     */
    error NotRoot(address caller);

    /**
     * @dev The caller may not accredit issuers for this credential type.
     * @param caller The account that made the call.
     * @param credentialType The credential type hash it tried to accredit or revoke.
     */
    error AccreditorNotAuthorized(address caller, bytes32 credentialType);

    /**
     * @dev A department tried to accredit itself; only the root may accredit a department.
     * @param caller The department that named itself as issuer.
     */
    error SelfAccreditation(address caller);

    /**
     * @dev A department tried to revoke an accreditation it did not make; only the root may.
     * @param caller The department that made the call.
     * @param accreditor The account that made the accreditation.
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
     * @dev The validity window is empty or inverted.
     * @param validFrom Start of the window (unix seconds).
     * @param validUntil End of the window (unix seconds, exclusive).
     */
    error InvalidValidityWindow(uint64 validFrom, uint64 validUntil);

    /**
     * @dev There is no accreditation with this index for the issuer and type.
     * @param issuer The issuer address.
     * @param credentialType The credential type hash.
     * @param index The index that was asked for.
     */
    error AccreditationNotFound(address issuer, bytes32 credentialType, uint256 index);

    /**
     * @dev The accreditation has already been revoked.
     * @param issuer The issuer address.
     * @param credentialType The credential type hash.
     * @param index The index of the accreditation.
     */
    error AccreditationAlreadyRevoked(address issuer, bytes32 credentialType, uint256 index);

    /// @notice Emitted when `issuer` was accredited for `credentialType` over [validFrom, validUntil).
    event IssuerAccredited(
        address indexed issuer,
        bytes32 indexed credentialType,
        address indexed accreditor,
        uint256 index,
        uint64 validFrom,
        uint64 validUntil
    );

    /// @notice Emitted when an accreditation was revoked; it stops counting from `revokedAt`.
    event AccreditationRevoked(
        address indexed issuer,
        bytes32 indexed credentialType,
        address indexed revokedBy,
        uint256 index,
        uint64 revokedAt
    );

    /// @notice Emitted when a department was allowed (or no longer allowed) to accredit a type.
    event AccreditorAuthorized(address indexed department, bytes32 indexed credentialType, bool allowed);

    /// @notice Emitted when the city root authority moved to a new account.
    event RootTransferred(address indexed previousRoot, address indexed newRoot);

    /**
     * @param initialRoot The city root account.
     */
    constructor(address initialRoot) {
        if (initialRoot == address(0)) revert ZeroAddress();
        root = initialRoot;
        emit RootTransferred(address(0), initialRoot);
    }

    modifier onlyRoot() {
        if (msg.sender != root) revert NotRoot(msg.sender);
        _;
    }

    /**
     * @notice Moves the city root authority to `newRoot`.
     * @param newRoot The new root account; must not be the zero address.
     */
    function transferRoot(address newRoot) external onlyRoot {
        if (newRoot == address(0)) revert ZeroAddress();
        address previous = root;
        root = newRoot;
        emit RootTransferred(previous, newRoot);
    }

    /**
     * @notice Allows or disallows `department` to accredit other issuers (employers) for the given types.
     * @dev Only the root may call this. Typical use: the labour department may accredit employers for
     * `LaborContract` and `WorkExperience`.
     * @param department The department's issuer address.
     * @param credentialTypes The type hashes concerned.
     * @param allowed True to grant, false to withdraw.
     */
    function setAccreditorTypes(address department, bytes32[] calldata credentialTypes, bool allowed)
        external
        onlyRoot
    {
        if (department == address(0)) revert ZeroAddress();
        if (credentialTypes.length == 0) revert NoCredentialTypes();
        for (uint256 i = 0; i < credentialTypes.length; ++i) {
            _delegatedTypes[department][credentialTypes[i]] = allowed;
            emit AccreditorAuthorized(department, credentialTypes[i], allowed);
        }
    }

    /**
     * @notice Accredits `issuer` for each of `credentialTypes` over [validFrom, validUntil).
     * @dev The root may accredit any issuer, itself included, for any type; a department only other
     * issuers, for the types delegated to it.
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
        if (issuer == address(0)) revert ZeroAddress();
        if (credentialTypes.length == 0) revert NoCredentialTypes();
        if (validUntil <= validFrom) revert InvalidValidityWindow(validFrom, validUntil);
        for (uint256 i = 0; i < credentialTypes.length; ++i) {
            bytes32 credentialType = credentialTypes[i];
            _requireAccreditor(credentialType);
            // Checked after the type so that an unauthorised caller still gets AccreditorNotAuthorized.
            if (issuer == msg.sender && msg.sender != root) revert SelfAccreditation(msg.sender);
            Accreditation[] storage list = _accreditations[issuer][credentialType];
            list.push(Accreditation({accreditor: msg.sender, validFrom: validFrom, validUntil: validUntil, revokedAt: 0}));
            if (!_knownType[issuer][credentialType]) {
                _knownType[issuer][credentialType] = true;
                _issuerTypes[issuer].push(credentialType);
            }
            emit IssuerAccredited(issuer, credentialType, msg.sender, list.length - 1, validFrom, validUntil);
        }
    }

    /**
     * @notice Revokes one accreditation from now on; its past remains on record.
     * @dev The root may revoke any accreditation; a department only those it made itself, of types
     * still delegated to it.
     * @param issuer The issuer address.
     * @param credentialType The type hash.
     * @param index The accreditation's index, as emitted in {IssuerAccredited}.
     */
    function revokeAccreditation(address issuer, bytes32 credentialType, uint256 index) external {
        _requireAccreditor(credentialType);
        Accreditation[] storage list = _accreditations[issuer][credentialType];
        if (index >= list.length) revert AccreditationNotFound(issuer, credentialType, index);
        Accreditation storage accreditation = list[index];
        if (msg.sender != root && accreditation.accreditor != msg.sender) {
            revert NotTheAccreditor(msg.sender, accreditation.accreditor);
        }
        if (accreditation.revokedAt != 0) revert AccreditationAlreadyRevoked(issuer, credentialType, index);
        uint64 revokedAt = uint64(block.timestamp);
        accreditation.revokedAt = revokedAt;
        emit AccreditationRevoked(issuer, credentialType, msg.sender, index, revokedAt);
    }

    /**
     * @notice Whether `issuer` was accredited for `credentialType` at unix time `atTime`.
     * @param issuer The issuer address.
     * @param credentialType The type hash.
     * @param atTime The moment asked about (unix seconds).
     * @return True if one of its accreditation windows covered `atTime` and was not revoked by then.
     */
    function isAccredited(address issuer, bytes32 credentialType, uint64 atTime) public view returns (bool) {
        Accreditation[] storage list = _accreditations[issuer][credentialType];
        for (uint256 i = 0; i < list.length; ++i) {
            if (_covers(list[i], atTime)) return true;
        }
        return false;
    }

    /**
     * @notice Whether `issuer` was accredited for at least one credential type at unix time `atTime`.
     * @param issuer The issuer address.
     * @param atTime The moment asked about (unix seconds).
     * @return True if any of its accreditations covered `atTime`.
     */
    function isAccreditedForAnyType(address issuer, uint64 atTime) external view returns (bool) {
        bytes32[] storage types = _issuerTypes[issuer];
        for (uint256 i = 0; i < types.length; ++i) {
            if (isAccredited(issuer, types[i], atTime)) return true;
        }
        return false;
    }

    /**
     * @notice Whether `department` may accredit issuers for `credentialType`.
     * @param department The department address.
     * @param credentialType The type hash.
     * @return True if the root delegated that type to the department.
     */
    function canAccredit(address department, bytes32 credentialType) external view returns (bool) {
        return department == root || _delegatedTypes[department][credentialType];
    }

    /**
     * @notice All accreditation windows of `issuer` for `credentialType`, revoked ones included.
     * @param issuer The issuer address.
     * @param credentialType The type hash.
     * @return The accreditations in the order they were made.
     */
    function accreditationsOf(address issuer, bytes32 credentialType) external view returns (Accreditation[] memory) {
        return _accreditations[issuer][credentialType];
    }

    /**
     * @notice The credential types `issuer` has ever been accredited for.
     * @param issuer The issuer address.
     * @return The type hashes.
     */
    function credentialTypesOf(address issuer) external view returns (bytes32[] memory) {
        return _issuerTypes[issuer];
    }

    function _requireAccreditor(bytes32 credentialType) private view {
        if (msg.sender != root && !_delegatedTypes[msg.sender][credentialType]) {
            revert AccreditorNotAuthorized(msg.sender, credentialType);
        }
    }

    function _covers(Accreditation storage accreditation, uint64 atTime) private view returns (bool) {
        if (atTime < accreditation.validFrom || atTime >= accreditation.validUntil) return false;
        return accreditation.revokedAt == 0 || atTime < accreditation.revokedAt;
    }
}
