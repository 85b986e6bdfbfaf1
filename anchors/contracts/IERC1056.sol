// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IERC1056
 * @notice The part of the ERC-1056 `EthereumDIDRegistry` (the registry `did:ethr` resolves
 * against) that the city contracts read: who controls an identity now.
 */
interface IERC1056 {
    /**
     * @notice The account currently controlling `identity`: the identity itself until an
     * ERC-1056 `changeOwner` moved it.
     * @param identity The did:ethr identity address.
     * @return The owner account.
     */
    function identityOwner(address identity) external view returns (address);
}
