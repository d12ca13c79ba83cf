// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title CredentialRegistry
/// @notice One registry for many credential issuers: an accreditation body registers issuers, issuers anchor
/// Merkle roots of credential batches, and each issuer can revoke, suspend or reinstate its own credential leaves.
/// @dev Leaves are bytes32 hashes; trees use OpenZeppelin's sorted-pair hashing (`MerkleProof`). A batch of one is a
/// root equal to its leaf with an empty path. Leaf status is kept per issuer, so no issuer can change the status that
/// verifiers read for another issuer's roots, even if it copies another issuer's leaf into a tree of its own.
contract CredentialRegistry is AccessControl {
    /// @notice Role that registers, suspends and reinstates issuers.
    bytes32 public constant ACCREDITOR_ROLE = keccak256("ACCREDITOR_ROLE");

    /// @notice Status of a credential leaf as recorded by the issuer that anchored it.
    enum LeafStatus {
        Active,
        Suspended,
        Revoked
    }

    /// @notice A registered issuer. `registeredAt` and `active` share one slot after the two strings.
    struct Issuer {
        string did;
        string name;
        uint64 registeredAt;
        bool active;
    }

    /// @notice Who anchored a root and when: 20 + 8 bytes, fits in one slot.
    struct Anchor {
        address issuer;
        uint64 anchoredAt;
    }

    /// @notice A leaf's status: 1 + 2 + 8 bytes, fits in one slot.
    struct LeafState {
        LeafStatus status;
        uint16 reason;
        uint64 since;
    }

    /// @notice Everything a verifier needs about (root, leaf, path), in one call.
    struct Lookup {
        address anchoredBy;
        uint64 anchoredAt;
        bool leafInRoot;
        LeafStatus status;
        uint16 statusReason;
        uint64 statusSince;
        bool issuerActive;
        bool issuerRegistered;
        string issuerDid;
        string issuerName;
    }

    mapping(address issuer => Issuer) private _issuers;
    mapping(bytes32 root => Anchor) private _anchors;
    mapping(address issuer => mapping(bytes32 leaf => LeafState)) private _leafStates;

    /// @notice An address argument was the zero address.
    error ZeroAddress();
    /// @notice `issuer` is registered already.
    error IssuerAlreadyRegistered(address issuer);
    /// @notice `issuer` was never registered.
    error UnknownIssuer(address issuer);
    /// @notice An issuer's DID must not be empty.
    error EmptyDid();
    /// @notice `issuer` is registered but suspended.
    error IssuerNotActive(address issuer);
    /// @notice `issuer` is active already, so it cannot be reinstated.
    error IssuerAlreadyActive(address issuer);
    /// @notice The zero root cannot be anchored.
    error ZeroRoot();
    /// @notice `root` was anchored before, by `by`.
    error RootAlreadyAnchored(bytes32 root, address by);
    /// @notice `root` has never been anchored.
    error RootNotAnchored(bytes32 root);
    /// @notice `root` was anchored by another issuer than `caller`.
    error RootNotAnchoredBy(bytes32 root, address caller);
    /// @notice The path does not lead from `leaf` to `root`.
    error LeafNotInRoot(bytes32 leaf, bytes32 root);
    /// @notice `leaf` is revoked, and revocation is final.
    error LeafAlreadyRevoked(bytes32 leaf);
    /// @notice `leaf` is suspended already.
    error LeafAlreadySuspended(bytes32 leaf);
    /// @notice `leaf` is not suspended, so it cannot be reinstated.
    error LeafNotSuspended(bytes32 leaf);

    /// @notice `issuer` was registered with `did` and `name` by accreditor `by`.
    event IssuerRegistered(address indexed issuer, string did, string name, address indexed by);
    /// @notice `issuer` was suspended for `reason` by accreditor `by`.
    event IssuerSuspended(address indexed issuer, uint16 indexed reason, address indexed by);
    /// @notice `issuer` was reinstated by accreditor `by`.
    event IssuerReinstated(address indexed issuer, address indexed by);
    /// @notice `root` was anchored by `issuer` at block time `timestamp`.
    event RootAnchored(bytes32 indexed root, address indexed issuer, uint64 indexed timestamp);
    /// @notice `leaf`, proven to be in `root`, was revoked by `issuer` for `reason`.
    event LeafRevoked(bytes32 indexed leaf, bytes32 indexed root, address indexed issuer, uint16 reason);
    /// @notice `leaf`, proven to be in `root`, was suspended by `issuer` for `reason`.
    event LeafSuspended(bytes32 indexed leaf, bytes32 indexed root, address indexed issuer, uint16 reason);
    /// @notice `leaf`, proven to be in `root`, was reinstated by `issuer` for `reason`.
    event LeafReinstated(bytes32 indexed leaf, bytes32 indexed root, address indexed issuer, uint16 reason);

    /// @notice Deploys the registry and gives `admin` both the admin role and `ACCREDITOR_ROLE`.
    /// @dev Reverts with `ZeroAddress` when `admin` is the zero address.
    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ACCREDITOR_ROLE, admin);
    }

    /// @notice Registers `issuer` as an active issuer bound to `did`.
    /// @dev Requires `ACCREDITOR_ROLE`, a non-zero `issuer` not registered before and a non-empty `did`.
    /// Reverts with `AccessControlUnauthorizedAccount`, `ZeroAddress`, `IssuerAlreadyRegistered` or `EmptyDid`.
    /// Emits `IssuerRegistered`.
    /// @param issuer The address the issuer anchors from.
    /// @param did The issuer's DID, as it appears in its credentials.
    /// @param name The issuer's display name.
    function registerIssuer(address issuer, string calldata did, string calldata name)
        external
        onlyRole(ACCREDITOR_ROLE)
    {
        if (issuer == address(0)) revert ZeroAddress();
        if (_issuers[issuer].registeredAt != 0) revert IssuerAlreadyRegistered(issuer);
        if (bytes(did).length == 0) revert EmptyDid();
        _issuers[issuer] = Issuer({did: did, name: name, registeredAt: uint64(block.timestamp), active: true});
        emit IssuerRegistered(issuer, did, name, _msgSender());
    }

    /// @notice Suspends `issuer`: it can no longer anchor or reinstate leaves, but can still revoke and suspend them.
    /// @dev Requires `ACCREDITOR_ROLE` and a registered, active `issuer`.
    /// Reverts with `AccessControlUnauthorizedAccount`, `UnknownIssuer` or `IssuerNotActive`. Emits `IssuerSuspended`.
    /// @param issuer The issuer to suspend.
    /// @param reason A reason code, recorded in the event only.
    function suspendIssuer(address issuer, uint16 reason) external onlyRole(ACCREDITOR_ROLE) {
        Issuer storage record = _registered(issuer);
        if (!record.active) revert IssuerNotActive(issuer);
        record.active = false;
        emit IssuerSuspended(issuer, reason, _msgSender());
    }

    /// @notice Reinstates a suspended `issuer`.
    /// @dev Requires `ACCREDITOR_ROLE` and a registered, suspended `issuer`.
    /// Reverts with `AccessControlUnauthorizedAccount`, `UnknownIssuer` or `IssuerAlreadyActive`.
    /// Emits `IssuerReinstated`.
    /// @param issuer The issuer to reinstate.
    function reinstateIssuer(address issuer) external onlyRole(ACCREDITOR_ROLE) {
        Issuer storage record = _registered(issuer);
        if (record.active) revert IssuerAlreadyActive(issuer);
        record.active = true;
        emit IssuerReinstated(issuer, _msgSender());
    }

    /// @notice Anchors the Merkle `root` of a batch of credential leaves, recording the caller and the block time.
    /// @dev Requires the caller to be a registered, active issuer, a non-zero root and a root never anchored before.
    /// Reverts with `UnknownIssuer`, `IssuerNotActive`, `ZeroRoot` or `RootAlreadyAnchored`. Emits `RootAnchored`.
    /// @param root The Merkle root (for a batch of one, the leaf itself).
    function anchor(bytes32 root) external {
        address issuer = _msgSender();
        if (!_registered(issuer).active) revert IssuerNotActive(issuer);
        if (root == bytes32(0)) revert ZeroRoot();
        Anchor storage existing = _anchors[root];
        if (existing.issuer != address(0)) revert RootAlreadyAnchored(root, existing.issuer);
        uint64 timestamp = uint64(block.timestamp);
        _anchors[root] = Anchor({issuer: issuer, anchoredAt: timestamp});
        emit RootAnchored(root, issuer, timestamp);
    }

    /// @notice Revokes `leaf` for good. Revocation stays possible while the caller is suspended as an issuer.
    /// @dev Requires `path` to prove `leaf` is in `root`, `root` anchored by the caller, and `leaf` not revoked.
    /// Reverts with `RootNotAnchored`, `RootNotAnchoredBy`, `LeafNotInRoot` or `LeafAlreadyRevoked`. Emits `LeafRevoked`.
    /// @param leaf The credential leaf.
    /// @param root A root the caller anchored that contains `leaf`.
    /// @param path The sorted-pair Merkle path from `leaf` to `root`.
    /// @param reason A reason code, stored with the status.
    function revoke(bytes32 leaf, bytes32 root, bytes32[] calldata path, uint16 reason) external {
        address issuer = _ownLeaf(leaf, root, path);
        LeafState storage state = _leafStates[issuer][leaf];
        if (state.status == LeafStatus.Revoked) revert LeafAlreadyRevoked(leaf);
        _setLeafState(issuer, leaf, LeafStatus.Revoked, reason);
        emit LeafRevoked(leaf, root, issuer, reason);
    }

    /// @notice Suspends `leaf` until it is reinstated. Allowed while the caller is suspended as an issuer.
    /// @dev Requires `path` to prove `leaf` is in `root`, `root` anchored by the caller, and `leaf` active.
    /// Reverts with `RootNotAnchored`, `RootNotAnchoredBy`, `LeafNotInRoot`, `LeafAlreadyRevoked` or `LeafAlreadySuspended`.
    /// Emits `LeafSuspended`.
    /// @param leaf The credential leaf.
    /// @param root A root the caller anchored that contains `leaf`.
    /// @param path The sorted-pair Merkle path from `leaf` to `root`.
    /// @param reason A reason code, stored with the status.
    function suspend(bytes32 leaf, bytes32 root, bytes32[] calldata path, uint16 reason) external {
        address issuer = _ownLeaf(leaf, root, path);
        LeafStatus status = _leafStates[issuer][leaf].status;
        if (status == LeafStatus.Revoked) revert LeafAlreadyRevoked(leaf);
        if (status == LeafStatus.Suspended) revert LeafAlreadySuspended(leaf);
        _setLeafState(issuer, leaf, LeafStatus.Suspended, reason);
        emit LeafSuspended(leaf, root, issuer, reason);
    }

    /// @notice Reinstates a suspended `leaf`. A suspended issuer cannot reinstate: it may withdraw trust, not restore it.
    /// @dev Requires the caller to be an active issuer, `path` to prove `leaf` is in `root`, `root` anchored by the
    /// caller, and `leaf` suspended. Reverts with `IssuerNotActive`, `RootNotAnchored`, `RootNotAnchoredBy`,
    /// `LeafNotInRoot`, `LeafAlreadyRevoked` or `LeafNotSuspended`. Emits `LeafReinstated`.
    /// @param leaf The credential leaf.
    /// @param root A root the caller anchored that contains `leaf`.
    /// @param path The sorted-pair Merkle path from `leaf` to `root`.
    /// @param reason A reason code, stored with the status.
    function reinstate(bytes32 leaf, bytes32 root, bytes32[] calldata path, uint16 reason) external {
        address issuer = _ownLeaf(leaf, root, path);
        if (!_issuers[issuer].active) revert IssuerNotActive(issuer);
        LeafStatus status = _leafStates[issuer][leaf].status;
        if (status == LeafStatus.Revoked) revert LeafAlreadyRevoked(leaf);
        if (status != LeafStatus.Suspended) revert LeafNotSuspended(leaf);
        _setLeafState(issuer, leaf, LeafStatus.Active, reason);
        emit LeafReinstated(leaf, root, issuer, reason);
    }

    /// @notice Reads a registered issuer. Never reverts; an unknown issuer has `registeredAt == 0`.
    /// @param issuer The issuer's address.
    /// @return The issuer record.
    function getIssuer(address issuer) external view returns (Issuer memory) {
        return _issuers[issuer];
    }

    /// @notice Reads who anchored `root` and when. Never reverts; an unanchored root has the zero issuer.
    /// @param root The Merkle root.
    /// @return The anchor record.
    function anchorOf(bytes32 root) external view returns (Anchor memory) {
        return _anchors[root];
    }

    /// @notice Reads the status `issuer` recorded for `leaf`. Never reverts.
    /// @param issuer The issuer whose view of the leaf to read.
    /// @param leaf The credential leaf.
    /// @return The leaf state.
    function leafStateOf(address issuer, bytes32 leaf) external view returns (LeafState memory) {
        return _leafStates[issuer][leaf];
    }

    /// @notice Answers a verifier in one call: who anchored `root` and when, whether `path` proves `leaf` is in it,
    /// the status the anchoring issuer recorded for `leaf`, and that issuer's DID, name and standing. Never reverts.
    /// @dev For an unanchored root, `anchoredBy` is zero and the status is `Active` with `statusSince == 0`.
    /// `leafInRoot` is computed from the path alone; the status is read whatever its value.
    /// @param root The Merkle root from the credential's anchor proof.
    /// @param leaf The credential leaf.
    /// @param path The sorted-pair Merkle path from `leaf` to `root`.
    /// @return result The combined answer.
    function lookup(bytes32 root, bytes32 leaf, bytes32[] calldata path) external view returns (Lookup memory result) {
        Anchor memory anchored = _anchors[root];
        result.anchoredBy = anchored.issuer;
        result.anchoredAt = anchored.anchoredAt;
        result.leafInRoot = MerkleProof.verifyCalldata(path, root, leaf);
        if (anchored.issuer != address(0)) {
            LeafState memory state = _leafStates[anchored.issuer][leaf];
            result.status = state.status;
            result.statusReason = state.reason;
            result.statusSince = state.since;
            Issuer storage record = _issuers[anchored.issuer];
            result.issuerDid = record.did;
            result.issuerName = record.name;
            result.issuerActive = record.active;
            result.issuerRegistered = record.registeredAt != 0;
        }
    }

    /// @dev Returns the record of a registered issuer, or reverts with `UnknownIssuer`.
    function _registered(address issuer) private view returns (Issuer storage record) {
        record = _issuers[issuer];
        if (record.registeredAt == 0) revert UnknownIssuer(issuer);
    }

    /// @dev Checks that the caller anchored `root` and that `path` leads from `leaf` to it; returns the caller.
    function _ownLeaf(bytes32 leaf, bytes32 root, bytes32[] calldata path) private view returns (address issuer) {
        issuer = _msgSender();
        address anchoredBy = _anchors[root].issuer;
        if (anchoredBy == address(0)) revert RootNotAnchored(root);
        if (anchoredBy != issuer) revert RootNotAnchoredBy(root, issuer);
        if (!MerkleProof.verifyCalldata(path, root, leaf)) revert LeafNotInRoot(leaf, root);
    }

    /// @dev The only writer of leaf state; callers emit the matching past-tense event.
    function _setLeafState(address issuer, bytes32 leaf, LeafStatus status, uint16 reason) private {
        _leafStates[issuer][leaf] = LeafState({status: status, reason: reason, since: uint64(block.timestamp)});
    }
}
