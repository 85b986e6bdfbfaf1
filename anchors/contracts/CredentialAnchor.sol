// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC1056} from "./IERC1056.sol";
import {IssuerRegistry} from "./IssuerRegistry.sol";

/**
 * @title CredentialAnchor
 * @notice Append-only record of the Merkle roots of credential batches, per issuer.
 *
 * An issuer (a did:ethr identity address) anchors the root of a batch of credential hashes (see
 * docs/anchoring.md for the tree) through its anchorer: a key registered here for the issuer and a
 * credential type by {registerAnchorer}. Registering is where the trust checks run, once, instead
 * of on every batch: the key must be the identity's current ERC-1056 owner, and the identity must
 * be accredited in the {IssuerRegistry} for the type; the registration ends with that
 * accreditation window. A new owner key registering for the identity replaces the old key, and
 * anyone may withdraw a registration whose key no longer owns the identity or whose identity is no
 * longer accredited for the type ({withdrawAnchorer}). So {anchor} reads one storage slot to know
 * who is asking and writes one per root, which keeps a batch's transaction under 50,000 gas.
 *
 * Anchors are keyed by (issuer, root), so nobody can pre-empt or claim another issuer's root. An
 * anchor is never removed, so a credential's proof against it shows that the credential existed,
 * unchanged, at the block time recorded here. Verifiers judge accreditation and keys at that
 * block on their own (`isAccredited(issuer, type, anchoredAt)`, the DID document at the block).
 */
contract CredentialAnchor {
    /// @notice A key's registration as the anchorer of an issuer for one credential type: one storage slot.
    struct Anchorer {
        /// The issuer identity the key anchors for; zero when not registered.
        address issuer;
        /// Unix time at which the registration ends (exclusive): the end of the accreditation window.
        uint64 validUntil;
    }

    /// @notice Version of the CityCred contract interfaces this contract implements.
    uint256 public constant VERSION = 3;

    /// @notice The registry consulted for accreditation.
    IssuerRegistry public immutable registry;

    /// @notice The ERC-1056 registry consulted for the owner of an issuer identity.
    IERC1056 public immutable didRegistry;

    /**
     * What the chain knows about a root anchored by an issuer, packed into one storage word so that an
     * anchor writes a single new slot: bits 0-63 the block time of anchoring (unix seconds; zero when the
     * issuer never anchored the root), bits 64-127 the block number, bits 128-159 the leaf count, the rest
     * zero. A Solidity struct of the three would make the write read the slot's unused bits first.
     */
    mapping(address issuer => mapping(bytes32 root => uint256 word)) private _anchors;
    mapping(address anchorer => mapping(bytes32 credentialType => Anchorer)) private _anchorers;
    mapping(address issuer => mapping(bytes32 credentialType => address anchorer)) private _currentAnchorer;

    /**
     * @dev The caller is not the current ERC-1056 owner of the issuer identity.
     * @param caller The account that made the call.
     * @param issuer The issuer identity it named.
     * @param owner The identity's current owner.
     */
    error NotIdentityOwner(address caller, address issuer, address owner);

    /**
     * @dev The issuer is not accredited for the credential type at this moment.
     * @param issuer The issuer identity.
     * @param credentialType The credential type hash named in the call.
     */
    error IssuerNotAccredited(address issuer, bytes32 credentialType);

    /**
     * @dev The caller has no live registration as an anchorer for the credential type: it never
     * registered, its registration ended with the accreditation window, was replaced by a newer
     * key of its issuer or was withdrawn.
     * @param caller The account that made the call.
     * @param credentialType The credential type hash named in the call.
     */
    error NotAnchorer(address caller, bytes32 credentialType);

    /**
     * @dev The registration cannot be withdrawn by the caller: its key still owns the identity,
     * which is still accredited for the type.
     * @param anchorer The registered key.
     * @param credentialType The credential type hash.
     */
    error AnchorerStillValid(address anchorer, bytes32 credentialType);

    /**
     * @dev The issuer anchored this root before.
     * @param issuer The issuer identity.
     * @param root The Merkle root.
     */
    error RootAlreadyAnchored(address issuer, bytes32 root);

    /**
     * @dev The root is zero.
     */
    error EmptyRoot();

    /**
     * @dev The batch has no leaves.
     */
    error EmptyBatch();

    /**
     * @dev The zero address was given where a contract is required.
     */
    error ZeroAddress();

    /// @notice Emitted when `issuer` anchored `root` of a batch of `leafCount` leaves under `credentialType`.
    event RootAnchored(address indexed issuer, bytes32 indexed root, bytes32 indexed credentialType, uint32 leafCount);

    /// @notice Emitted when `anchorer` became the key that anchors for `issuer` under `credentialType` until `validUntil`.
    event AnchorerRegistered(
        address indexed issuer,
        address indexed anchorer,
        bytes32 indexed credentialType,
        uint64 validUntil
    );

    /// @notice Emitted when the registration of `anchorer` for `issuer` under `credentialType` ended before its time
    /// (withdrawn, or replaced by another key of the issuer or by another issuer of the key).
    event AnchorerWithdrawn(address indexed issuer, address indexed anchorer, bytes32 indexed credentialType);

    /**
     * @param issuerRegistry The registry deciding who is accredited.
     * @param erc1056Registry The ERC-1056 registry deciding who controls an issuer identity.
     */
    constructor(IssuerRegistry issuerRegistry, IERC1056 erc1056Registry) {
        if (address(issuerRegistry) == address(0) || address(erc1056Registry) == address(0)) revert ZeroAddress();
        registry = issuerRegistry;
        didRegistry = erc1056Registry;
    }

    /**
     * @notice Registers the caller as the key that anchors for `issuer` under `credentialType`, until the
     * issuer's current accreditation window for the type ends.
     * @dev The caller must be the identity's current ERC-1056 owner ({NotIdentityOwner}) and the identity
     * accredited for `credentialType` now ({IssuerNotAccredited}). Replaces the key registered for the
     * identity and type before, if another ({AnchorerWithdrawn}); registering again extends the caller's
     * own registration to the window it is in now.
     * @param issuer The issuer's did:ethr identity address.
     * @param credentialType A credential type (hash) the issuer is accredited for now.
     */
    function registerAnchorer(address issuer, bytes32 credentialType) external {
        address owner = didRegistry.identityOwner(issuer);
        if (msg.sender != owner) revert NotIdentityOwner(msg.sender, issuer, owner);
        uint64 validUntil = registry.accreditedUntil(issuer, credentialType, uint64(block.timestamp));
        if (validUntil == 0) revert IssuerNotAccredited(issuer, credentialType);
        address previous = _currentAnchorer[issuer][credentialType];
        if (previous != msg.sender && previous != address(0) && _anchorers[previous][credentialType].issuer == issuer) {
            delete _anchorers[previous][credentialType];
            emit AnchorerWithdrawn(issuer, previous, credentialType);
        }
        // A key anchors for one identity per type: one it anchored for before under this type loses it.
        address formerIssuer = _anchorers[msg.sender][credentialType].issuer;
        if (formerIssuer != issuer && formerIssuer != address(0)) {
            if (_currentAnchorer[formerIssuer][credentialType] == msg.sender) {
                delete _currentAnchorer[formerIssuer][credentialType];
            }
            emit AnchorerWithdrawn(formerIssuer, msg.sender, credentialType);
        }
        _currentAnchorer[issuer][credentialType] = msg.sender;
        _anchorers[msg.sender][credentialType] = Anchorer({issuer: issuer, validUntil: validUntil});
        emit AnchorerRegistered(issuer, msg.sender, credentialType, validUntil);
    }

    /**
     * @notice Ends the registration of `anchorer` under `credentialType` before its time: the anchorer itself
     * may always do so, anyone else once the key no longer owns its identity in ERC-1056 or the identity is
     * no longer accredited for the type (a rotation, revocation or suspension after it registered).
     * @dev Reverts with {NotAnchorer} when there is no such registration, {AnchorerStillValid} when it
     * still holds and the caller is not the anchorer.
     * @param anchorer The registered key.
     * @param credentialType The credential type hash it is registered under.
     */
    function withdrawAnchorer(address anchorer, bytes32 credentialType) external {
        Anchorer memory registration = _anchorers[anchorer][credentialType];
        address issuer = registration.issuer;
        if (issuer == address(0)) revert NotAnchorer(anchorer, credentialType);
        if (
            msg.sender != anchorer &&
            block.timestamp < registration.validUntil &&
            didRegistry.identityOwner(issuer) == anchorer &&
            registry.isAccredited(issuer, credentialType, uint64(block.timestamp))
        ) revert AnchorerStillValid(anchorer, credentialType);
        delete _anchorers[anchorer][credentialType];
        if (_currentAnchorer[issuer][credentialType] == anchorer) delete _currentAnchorer[issuer][credentialType];
        emit AnchorerWithdrawn(issuer, anchorer, credentialType);
    }

    /**
     * @notice Anchors the Merkle root of a batch in the name of the issuer the caller is registered for under
     * `credentialType`.
     * @dev Reverts with {EmptyRoot} or {EmptyBatch} for empty input, {NotAnchorer} without a live
     * registration of the caller for the type, {RootAlreadyAnchored} when the issuer anchored the root before.
     * @param credentialType The credential type (hash) the caller is registered under.
     * @param root The Merkle root of the batch.
     * @param leafCount The number of leaves in the batch.
     */
    function anchor(bytes32 credentialType, bytes32 root, uint32 leafCount) external {
        if (root == bytes32(0)) revert EmptyRoot();
        if (leafCount == 0) revert EmptyBatch();
        Anchorer storage registration = _anchorers[msg.sender][credentialType];
        (address issuer, uint64 validUntil) = (registration.issuer, registration.validUntil);
        if (issuer == address(0) || block.timestamp >= validUntil) revert NotAnchorer(msg.sender, credentialType);
        mapping(bytes32 root => uint256 word) storage anchors = _anchors[issuer];
        if (anchors[root] != 0) revert RootAlreadyAnchored(issuer, root);
        anchors[root] = block.timestamp | (block.number << 64) | (uint256(leafCount) << 128);
        emit RootAnchored(issuer, root, credentialType, leafCount);
    }

    /**
     * @notice What is recorded for `root` anchored by `issuer`.
     * @param issuer The issuer identity.
     * @param root The Merkle root.
     * @return anchoredAt The block time of anchoring (unix seconds); zero when this issuer never anchored it.
     * @return blockNumber The block in which it was anchored.
     * @return leafCount The number of leaves in the batch.
     */
    function anchorOf(address issuer, bytes32 root)
        external
        view
        returns (uint64 anchoredAt, uint64 blockNumber, uint32 leafCount)
    {
        uint256 word = _anchors[issuer][root];
        return (uint64(word), uint64(word >> 64), uint32(word >> 128));
    }

    /**
     * @notice The registration of `anchorer` under `credentialType`.
     * @param anchorer The key.
     * @param credentialType The credential type hash.
     * @return issuer The identity it anchors for; zero when not registered.
     * @return validUntil When the registration ends (unix seconds, exclusive).
     */
    function anchorerOf(address anchorer, bytes32 credentialType)
        external
        view
        returns (address issuer, uint64 validUntil)
    {
        Anchorer storage registration = _anchorers[anchorer][credentialType];
        return (registration.issuer, registration.validUntil);
    }
}
