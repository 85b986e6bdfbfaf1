// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC1056} from "./IERC1056.sol";
import {IssuerRegistry} from "./IssuerRegistry.sol";

/**
 * @title CredentialAnchor
 * @notice Append-only record of the Merkle roots of credential batches, per issuer.
 *
 * An issuer (a did:ethr identity address) accredited in the {IssuerRegistry} for a credential
 * type at the moment of the call anchors the root of a batch of credential hashes (see
 * docs/anchoring.md for the tree). The transaction must come from the identity's current
 * ERC-1056 owner: after a key rotation only the new key anchors, while the accreditation stays
 * with the identity. Anchors are keyed by (issuer, root), so nobody can pre-empt or claim
 * another issuer's root. An anchor is never removed, so a credential's proof against it shows
 * that the credential existed, unchanged, at the block time recorded here.
 */
contract CredentialAnchor {
    /// @notice What the chain knows about a root anchored by an issuer.
    struct Anchor {
        /// Block time of anchoring (unix seconds); zero when unknown.
        uint64 anchoredAt;
        /// The block in which it was anchored.
        uint64 blockNumber;
        /// The number of credentials in the batch.
        uint32 leafCount;
        /// The account that sent the transaction (the identity's owner at the time).
        address sender;
    }

    /// @notice Version of the CityCred contract interfaces this contract implements.
    uint256 public constant VERSION = 2;

    /// @notice The registry consulted for accreditation.
    IssuerRegistry public immutable registry;

    /// @notice The ERC-1056 registry consulted for the owner of an issuer identity.
    IERC1056 public immutable didRegistry;

    mapping(address issuer => mapping(bytes32 root => Anchor)) private _anchors;

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

    /// @notice Emitted when `issuer` anchored `root` covering `leafCount` credentials of `credentialType`.
    event RootAnchored(
        address indexed issuer,
        bytes32 indexed root,
        bytes32 indexed credentialType,
        uint32 leafCount,
        uint64 anchoredAt,
        address sender
    );

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
     * @notice Anchors the Merkle root of a batch of credential hashes for `issuer`.
     * @dev The caller must be the identity's current ERC-1056 owner, and the identity must be
     * accredited for `credentialType` now. Reverts with {EmptyRoot} or {EmptyBatch} for empty input,
     * {NotIdentityOwner}, {RootAlreadyAnchored} when this issuer anchored the root before, or
     * {IssuerNotAccredited}.
     * @param issuer The issuer's did:ethr identity address.
     * @param credentialType A credential type (hash) the issuer is accredited for now.
     * @param root The Merkle root of the batch.
     * @param leafCount The number of credentials in the batch.
     */
    function anchor(address issuer, bytes32 credentialType, bytes32 root, uint32 leafCount) external {
        if (root == bytes32(0)) revert EmptyRoot();
        if (leafCount == 0) revert EmptyBatch();
        address owner = didRegistry.identityOwner(issuer);
        if (msg.sender != owner) revert NotIdentityOwner(msg.sender, issuer, owner);
        Anchor storage existing = _anchors[issuer][root];
        if (existing.anchoredAt != 0) revert RootAlreadyAnchored(issuer, root);
        uint64 nowSeconds = uint64(block.timestamp);
        if (!registry.isAccredited(issuer, credentialType, nowSeconds)) {
            revert IssuerNotAccredited(issuer, credentialType);
        }
        existing.anchoredAt = nowSeconds;
        existing.blockNumber = uint64(block.number);
        existing.leafCount = leafCount;
        existing.sender = msg.sender;
        emit RootAnchored(issuer, root, credentialType, leafCount, nowSeconds, msg.sender);
    }

    /**
     * @notice What is recorded for `root` anchored by `issuer`.
     * @param issuer The issuer identity.
     * @param root The Merkle root.
     * @return anchoredAt The block time of anchoring (unix seconds); zero when this issuer never anchored it.
     * @return blockNumber The block in which it was anchored.
     * @return leafCount The number of credentials in the batch.
     * @return sender The account that sent the anchoring transaction.
     */
    function anchorOf(address issuer, bytes32 root)
        external
        view
        returns (uint64 anchoredAt, uint64 blockNumber, uint32 leafCount, address sender)
    {
        Anchor storage a = _anchors[issuer][root];
        return (a.anchoredAt, a.blockNumber, a.leafCount, a.sender);
    }
}
