// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title ICredentialRegistry (v2)
/// @notice The registry's interface: issuers as identities (`issuerId = keccak256(bytes(did))`) acting through
/// operator addresses, Merkle roots anchored per issuer, leaf statuses per issuer, and one-call reads for verifiers.
/// @dev Its ERC-165 id (XOR of the function selectors below) is what `supportsInterface` answers `true` for, so a
/// client can tell a registry from any other contract.
interface ICredentialRegistry {
    /// @notice Status of a credential leaf as its issuer recorded it.
    enum LeafStatus {
        Active,
        Suspended,
        Revoked
    }

    /// @notice A registered issuer as read by `issuerOf`. An unknown issuer has `registeredAt == 0`.
    struct Issuer {
        string did;
        string name;
        address admin;
        uint64 registeredAt;
        bool active;
        address[] operators;
    }

    /// @notice When an issuer anchored a root: 8 + 8 bytes, one slot. `anchoredAt == 0` means never anchored.
    struct Anchor {
        uint64 anchoredAt;
        uint64 blockNumber;
    }

    /// @notice A leaf's status: 1 + 2 + 8 bytes, one slot. `since == 0` means never changed.
    struct LeafState {
        LeafStatus status;
        uint16 reason;
        uint64 since;
    }

    /// @notice One verifier question: is `leaf` in `root`, anchored by issuer `issuerId`, and what is its status?
    struct LookupQuery {
        bytes32 issuerId;
        bytes32 root;
        bytes32 leaf;
        bytes32[] path;
    }

    /// @notice Everything one verification needs, in one answer.
    // Never stored (only returned), so storage packing does not apply.
    // solhint-disable-next-line gas-struct-packing
    struct Lookup {
        uint64 anchoredAt;
        uint64 anchoredBlock;
        uint64 statusSince;
        uint16 statusReason;
        LeafStatus status;
        bool leafInRoot;
        bool issuerRegistered;
        bool issuerActive;
        string issuerDid;
        string issuerName;
    }

    /// @notice An address argument was the zero address.
    error ZeroAddress();
    /// @notice An issuer's DID must not be empty.
    error EmptyDid();
    /// @notice An issuer with this DID (`issuerId`) is registered already.
    error IssuerAlreadyRegistered(bytes32 issuerId);
    /// @notice No issuer `issuerId` was ever registered.
    error UnknownIssuer(bytes32 issuerId);
    /// @notice Issuer `issuerId` is registered but suspended.
    error IssuerNotActive(bytes32 issuerId);
    /// @notice Issuer `issuerId` is active already, so it cannot be reinstated.
    error IssuerAlreadyActive(bytes32 issuerId);
    /// @notice `caller` is neither the admin of issuer `issuerId` nor an accreditor.
    error NotIssuerAdmin(bytes32 issuerId, address caller);
    /// @notice `operator` already serves issuer `issuerId`; an address serves at most one issuer.
    error OperatorAlreadyAssigned(address operator, bytes32 issuerId);
    /// @notice `operator` is not an operator of issuer `issuerId`.
    error NotOperatorOf(address operator, bytes32 issuerId);
    /// @notice `caller` is not an operator of any issuer.
    error NotAnOperator(address caller);
    /// @notice Issuer `issuerId` has `max` operators already.
    error TooManyOperators(bytes32 issuerId, uint256 max);
    /// @notice The zero root cannot be anchored.
    error ZeroRoot();
    /// @notice Issuer `issuerId` anchored `root` before.
    error RootAlreadyAnchored(bytes32 issuerId, bytes32 root);
    /// @notice Issuer `issuerId` never anchored `root`.
    error RootNotAnchored(bytes32 issuerId, bytes32 root);
    /// @notice The path does not lead from `leaf` to `root`.
    error LeafNotInRoot(bytes32 leaf, bytes32 root);
    /// @notice Issuer `issuerId` revoked `leaf`, and revocation is final.
    error LeafAlreadyRevoked(bytes32 issuerId, bytes32 leaf);
    /// @notice Issuer `issuerId` suspended `leaf` already.
    error LeafAlreadySuspended(bytes32 issuerId, bytes32 leaf);
    /// @notice `leaf` is not suspended by issuer `issuerId`, so it cannot be reinstated.
    error LeafNotSuspended(bytes32 issuerId, bytes32 leaf);

    /// @notice Issuer `issuerId` was registered with `did`, `name` and `admin` by accreditor `by`.
    event IssuerRegistered(bytes32 indexed issuerId, string did, string name, address indexed admin, address indexed by);
    /// @notice Issuer `issuerId`'s admin changed from `previousAdmin` to `newAdmin`, by `by`.
    event IssuerAdminChanged(bytes32 indexed issuerId, address previousAdmin, address indexed newAdmin, address indexed by);
    /// @notice Issuer `issuerId` was suspended for `reason` by accreditor `by`.
    event IssuerSuspended(bytes32 indexed issuerId, uint16 indexed reason, address indexed by);
    /// @notice Issuer `issuerId` was reinstated by accreditor `by`.
    event IssuerReinstated(bytes32 indexed issuerId, address indexed by);
    /// @notice `operator` was made an operator of issuer `issuerId` by `by` (its admin or an accreditor).
    event OperatorAdded(bytes32 indexed issuerId, address indexed operator, address indexed by);
    /// @notice `operator` stopped being an operator of issuer `issuerId`, removed by `by`.
    event OperatorRemoved(bytes32 indexed issuerId, address indexed operator, address indexed by);
    /// @notice Issuer `issuerId` anchored `root` through `operator`; the block gives its time and number.
    event RootAnchored(bytes32 indexed issuerId, bytes32 indexed root, address indexed operator);
    /// @notice Issuer `issuerId` revoked `leaf` (proved in `root`) for `reason`, through `operator`.
    event LeafRevoked(bytes32 indexed issuerId, bytes32 indexed leaf, bytes32 indexed root, uint16 reason, address operator);
    /// @notice Issuer `issuerId` suspended `leaf` (proved in `root`) for `reason`, through `operator`.
    event LeafSuspended(bytes32 indexed issuerId, bytes32 indexed leaf, bytes32 indexed root, uint16 reason, address operator);
    /// @notice Issuer `issuerId` reinstated `leaf` (proved in `root`) for `reason`, through `operator`.
    event LeafReinstated(bytes32 indexed issuerId, bytes32 indexed leaf, bytes32 indexed root, uint16 reason, address operator);

    /// @notice Registers the issuer whose DID is `did`, active, with `admin` managing its operators.
    /// @return issuerId `keccak256(bytes(did))`.
    function registerIssuer(string calldata did, string calldata name, address admin) external returns (bytes32 issuerId);

    /// @notice Hands the administration of issuer `issuerId` to `newAdmin`.
    function setIssuerAdmin(bytes32 issuerId, address newAdmin) external;

    /// @notice Suspends issuer `issuerId`: its operators can neither anchor nor change statuses.
    function suspendIssuer(bytes32 issuerId, uint16 reason) external;

    /// @notice Reinstates suspended issuer `issuerId`.
    function reinstateIssuer(bytes32 issuerId) external;

    /// @notice Makes `operator` act for issuer `issuerId`.
    function addOperator(bytes32 issuerId, address operator) external;

    /// @notice Takes every power of `operator` for issuer `issuerId` away at once.
    function removeOperator(bytes32 issuerId, address operator) external;

    /// @notice Anchors `root` for the issuer the caller operates for.
    function anchor(bytes32 root) external;

    /// @notice Revokes `leaf` of one of the caller's issuer's roots, for good.
    function revoke(bytes32 leaf, bytes32 root, bytes32[] calldata path, uint16 reason) external;

    /// @notice Suspends `leaf` of one of the caller's issuer's roots.
    function suspend(bytes32 leaf, bytes32 root, bytes32[] calldata path, uint16 reason) external;

    /// @notice Reinstates suspended `leaf` of one of the caller's issuer's roots.
    function reinstate(bytes32 leaf, bytes32 root, bytes32[] calldata path, uint16 reason) external;

    /// @notice `keccak256(bytes(did))`.
    function issuerIdOf(string calldata did) external pure returns (bytes32);

    /// @notice Issuer `issuerId`'s record.
    function issuerOf(bytes32 issuerId) external view returns (Issuer memory);

    /// @notice The issuer `operator` acts for, or zero.
    function issuerOfOperator(address operator) external view returns (bytes32);

    /// @notice When issuer `issuerId` anchored `root`.
    function anchorOf(bytes32 issuerId, bytes32 root) external view returns (Anchor memory);

    /// @notice Issuer `issuerId`'s status of `leaf`.
    function leafStateOf(bytes32 issuerId, bytes32 leaf) external view returns (LeafState memory);

    /// @notice Everything one verification needs.
    function lookup(bytes32 issuerId, bytes32 root, bytes32 leaf, bytes32[] calldata path)
        external
        view
        returns (Lookup memory);

    /// @notice `lookup` for each query, in order.
    function lookupMany(LookupQuery[] calldata queries) external view returns (Lookup[] memory);
}
