// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IssuerRegistry} from "./IssuerRegistry.sol";

/**
 * @title CredentialAnchor
 * @notice Append-only record of the Merkle roots of credential batches.
 *
 * An issuer accredited in the {IssuerRegistry} at the moment of the call submits the
 * root of a batch of credential hashes (see docs/anchoring.md for the tree). A root can
 * be anchored once and never removed, so a credential's proof against it shows that the
 * credential existed, unchanged, at the block time recorded here.
 */
contract CredentialAnchor {
    /// @notice What the chain knows about an anchored root.
    struct Anchor {
        address issuer;
        uint64 anchoredAt;
        uint64 blockNumber;
        uint32 leafCount;
    }

    /// @notice The registry consulted for accreditation.
    IssuerRegistry public immutable registry;

    mapping(bytes32 root => Anchor) private _anchors;

    /**
     * @dev The caller is not an accredited issuer at this moment.
     * @param caller The account that made the call.
     */
    error IssuerNotAccredited(address caller);

    /**
     * @dev The root was anchored before.
     * @param root The Merkle root.
     * @param issuer The issuer that anchored it first.
     */
    error RootAlreadyAnchored(bytes32 root, address issuer);

    /**
     * @dev The root is zero.
     */
    error EmptyRoot();

    /**
     * @dev The batch has no leaves.
     */
    error EmptyBatch();

    /// @notice Emitted when `issuer` anchored `root` covering `leafCount` credentials.
    event RootAnchored(bytes32 indexed root, address indexed issuer, uint32 leafCount, uint64 anchoredAt);

    /**
     * @param issuerRegistry The registry deciding who may anchor.
     */
    constructor(IssuerRegistry issuerRegistry) {
        registry = issuerRegistry;
    }

    /**
     * @notice Anchors the Merkle root of a batch of credential hashes.
     * @dev Reverts with {IssuerNotAccredited} unless the caller is accredited for some type now,
     * {RootAlreadyAnchored} if the root exists, {EmptyRoot} or {EmptyBatch} for empty input.
     * @param root The Merkle root of the batch.
     * @param leafCount The number of credentials in the batch.
     */
    function anchor(bytes32 root, uint32 leafCount) external {
        if (root == bytes32(0)) revert EmptyRoot();
        if (leafCount == 0) revert EmptyBatch();
        Anchor storage existing = _anchors[root];
        if (existing.issuer != address(0)) revert RootAlreadyAnchored(root, existing.issuer);
        uint64 nowSeconds = uint64(block.timestamp);
        if (!registry.isAccreditedForAnyType(msg.sender, nowSeconds)) revert IssuerNotAccredited(msg.sender);
        _anchors[root] = Anchor({
            issuer: msg.sender,
            anchoredAt: nowSeconds,
            blockNumber: uint64(block.number),
            leafCount: leafCount
        });
        emit RootAnchored(root, msg.sender, leafCount, nowSeconds);
    }

    /**
     * @notice What is recorded for `root`.
     * @param root The Merkle root.
     * @return issuer The anchoring issuer (zero if the root is unknown).
     * @return anchoredAt The block time of anchoring (unix seconds).
     * @return blockNumber The block in which it was anchored.
     * @return leafCount The number of credentials in the batch.
     */
    function anchorOf(bytes32 root)
        external
        view
        returns (address issuer, uint64 anchoredAt, uint64 blockNumber, uint32 leafCount)
    {
        Anchor storage a = _anchors[root];
        return (a.issuer, a.anchoredAt, a.blockNumber, a.leafCount);
    }
}
