// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ICredentialRegistry} from "./ICredentialRegistry.sol";

/// @title CredentialRegistry (v2)
/// @notice One registry for many credential issuers. An accreditation body registers issuers as identities
/// (`issuerId = keccak256(bytes(did))`); each issuer acts through operator addresses that its admin adds and removes.
/// Any operator of an active issuer anchors Merkle roots for it and changes the status of any of its leaves.
/// @dev Anchors are keyed by (issuerId, root): another issuer anchoring the same bytes changes nothing for the first.
/// Leaf statuses are keyed by (issuerId, leaf), so they can be read without an anchor proof. Trees use OpenZeppelin's
/// sorted-pair hashing (`MerkleProof`); a batch of one is a root equal to its leaf with an empty path.
contract CredentialRegistry is AccessControl, ICredentialRegistry {
    /// @notice Role that registers, suspends and reinstates issuers, and may manage any issuer's operators.
    bytes32 public constant ACCREDITOR_ROLE = keccak256("ACCREDITOR_ROLE");

    /// @notice Most operators one issuer may have; keeps `removeOperator` and `issuerOf` bounded.
    uint256 public constant MAX_OPERATORS = 32;

    /// @dev An issuer in storage. `admin`, `registeredAt` and `active` share one slot (20 + 8 + 1 bytes), so the
    /// hot path (anchor, status changes) reads a single slot for the issuer's standing.
    struct IssuerRecord {
        string did;
        string name;
        address admin;
        uint64 registeredAt;
        bool active;
        address[] operators;
    }

    mapping(bytes32 issuerId => IssuerRecord) private _issuers;
    mapping(address operator => bytes32 issuerId) private _operatorIssuer;
    /// @dev The issuer an operator may act for right now: equal to `_operatorIssuer` while that issuer is active, zero
    /// while it is suspended. Kept in step by add/removeOperator and suspend/reinstateIssuer (at most MAX_OPERATORS
    /// writes each), so anchoring and status changes read one slot for the caller's standing instead of two, which
    /// keeps `anchor` under 50,000 gas.
    mapping(address operator => bytes32 issuerId) private _actingIssuer;
    mapping(bytes32 issuerId => mapping(bytes32 root => Anchor)) private _anchors;
    mapping(bytes32 issuerId => mapping(bytes32 leaf => LeafState)) private _leafStates;

    /// @notice Deploys the registry and gives `admin` both the admin role and `ACCREDITOR_ROLE`.
    /// @dev Reverts with `ZeroAddress` when `admin` is the zero address.
    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ACCREDITOR_ROLE, admin);
    }

    /// @notice Registers the issuer whose DID is `did` as active, with `admin` managing its operators. It has no
    /// operator yet: the admin (or an accreditor) adds them with `addOperator`.
    /// @dev Requires `ACCREDITOR_ROLE`, a non-empty `did` not registered before and a non-zero `admin`.
    /// Reverts with `AccessControlUnauthorizedAccount`, `EmptyDid`, `ZeroAddress` or `IssuerAlreadyRegistered`.
    /// Emits `IssuerRegistered`.
    /// @param did The issuer's DID, exactly as it appears in its credentials.
    /// @param name The issuer's display name.
    /// @param admin The address that adds and removes the issuer's operators.
    /// @return issuerId `keccak256(bytes(did))`.
    function registerIssuer(string calldata did, string calldata name, address admin)
        external
        onlyRole(ACCREDITOR_ROLE)
        returns (bytes32 issuerId)
    {
        if (bytes(did).length == 0) revert EmptyDid();
        if (admin == address(0)) revert ZeroAddress();
        issuerId = keccak256(bytes(did));
        IssuerRecord storage record = _issuers[issuerId];
        if (record.registeredAt != 0) revert IssuerAlreadyRegistered(issuerId);
        record.did = did;
        record.name = name;
        record.admin = admin;
        record.registeredAt = uint64(block.timestamp);
        record.active = true;
        emit IssuerRegistered(issuerId, did, name, admin, _msgSender());
    }

    /// @notice Hands the administration of issuer `issuerId` to `newAdmin` (for example after the admin key leaked).
    /// @dev Requires the caller to be the issuer's admin or an accreditor, and a non-zero `newAdmin`.
    /// Reverts with `UnknownIssuer`, `NotIssuerAdmin` or `ZeroAddress`. Emits `IssuerAdminChanged`.
    /// @param issuerId The issuer.
    /// @param newAdmin Its new admin.
    function setIssuerAdmin(bytes32 issuerId, address newAdmin) external {
        IssuerRecord storage record = _administered(issuerId);
        if (newAdmin == address(0)) revert ZeroAddress();
        address previous = record.admin;
        record.admin = newAdmin;
        emit IssuerAdminChanged(issuerId, previous, newAdmin, _msgSender());
    }

    /// @notice Suspends issuer `issuerId`: until reinstated, its operators can neither anchor nor change any status.
    /// @dev Requires `ACCREDITOR_ROLE` and a registered, active issuer.
    /// Reverts with `AccessControlUnauthorizedAccount`, `UnknownIssuer` or `IssuerNotActive`. Emits `IssuerSuspended`.
    /// @param issuerId The issuer to suspend.
    /// @param reason A reason code, recorded in the event only.
    function suspendIssuer(bytes32 issuerId, uint16 reason) external onlyRole(ACCREDITOR_ROLE) {
        IssuerRecord storage record = _registered(issuerId);
        if (!record.active) revert IssuerNotActive(issuerId);
        record.active = false;
        _setActing(record.operators, bytes32(0));
        emit IssuerSuspended(issuerId, reason, _msgSender());
    }

    /// @notice Reinstates suspended issuer `issuerId`.
    /// @dev Requires `ACCREDITOR_ROLE` and a registered, suspended issuer.
    /// Reverts with `AccessControlUnauthorizedAccount`, `UnknownIssuer` or `IssuerAlreadyActive`.
    /// Emits `IssuerReinstated`.
    /// @param issuerId The issuer to reinstate.
    function reinstateIssuer(bytes32 issuerId) external onlyRole(ACCREDITOR_ROLE) {
        IssuerRecord storage record = _registered(issuerId);
        if (record.active) revert IssuerAlreadyActive(issuerId);
        record.active = true;
        _setActing(record.operators, issuerId);
        emit IssuerReinstated(issuerId, _msgSender());
    }

    /// @notice Makes `operator` act for issuer `issuerId`: anchor roots and change the status of any of its leaves.
    /// Allowed while the issuer is suspended (the operator gains no power until it is reinstated).
    /// @dev Requires the caller to be the issuer's admin or an accreditor, a non-zero `operator` that serves no issuer,
    /// and fewer than `MAX_OPERATORS` operators. Reverts with `UnknownIssuer`, `NotIssuerAdmin`, `ZeroAddress`,
    /// `OperatorAlreadyAssigned` or `TooManyOperators`. Emits `OperatorAdded`.
    /// @param issuerId The issuer.
    /// @param operator The address to add.
    function addOperator(bytes32 issuerId, address operator) external {
        IssuerRecord storage record = _administered(issuerId);
        if (operator == address(0)) revert ZeroAddress();
        bytes32 current = _operatorIssuer[operator];
        if (current != bytes32(0)) revert OperatorAlreadyAssigned(operator, current);
        if (record.operators.length > MAX_OPERATORS - 1) revert TooManyOperators(issuerId, MAX_OPERATORS);
        record.operators.push(operator);
        _operatorIssuer[operator] = issuerId;
        if (record.active) _actingIssuer[operator] = issuerId;
        emit OperatorAdded(issuerId, operator, _msgSender());
    }

    /// @notice Takes every power of `operator` for issuer `issuerId` away at once; the address may later serve again.
    /// @dev Requires the caller to be the issuer's admin or an accreditor, and `operator` to serve this issuer.
    /// Reverts with `UnknownIssuer`, `NotIssuerAdmin` or `NotOperatorOf`. Emits `OperatorRemoved`.
    /// @param issuerId The issuer.
    /// @param operator The address to remove.
    function removeOperator(bytes32 issuerId, address operator) external {
        IssuerRecord storage record = _administered(issuerId);
        if (_operatorIssuer[operator] != issuerId) revert NotOperatorOf(operator, issuerId);
        address[] storage operators = record.operators;
        uint256 count = operators.length;
        for (uint256 i = 0; i < count; ++i) {
            if (operators[i] == operator) {
                operators[i] = operators[count - 1];
                operators.pop();
                break;
            }
        }
        delete _operatorIssuer[operator];
        delete _actingIssuer[operator];
        emit OperatorRemoved(issuerId, operator, _msgSender());
    }

    /// @notice Anchors the Merkle `root` of a batch of credential leaves for the issuer the caller operates for,
    /// recording the block time and number in one slot.
    /// @dev Requires the caller to be an operator of an active issuer, a non-zero root, and that this issuer has not
    /// anchored `root` before (another issuer's anchor of the same bytes does not matter). Reverts with
    /// `NotAnOperator`, `IssuerNotActive`, `ZeroRoot` or `RootAlreadyAnchored`. Emits `RootAnchored`.
    /// @param root The Merkle root (for a batch of one, the leaf itself).
    function anchor(bytes32 root) external {
        bytes32 issuerId = _activeIssuerOfCaller();
        if (root == bytes32(0)) revert ZeroRoot();
        Anchor storage slot = _anchors[issuerId][root];
        if (slot.anchoredAt != 0) revert RootAlreadyAnchored(issuerId, root);
        slot.anchoredAt = uint64(block.timestamp);
        slot.blockNumber = uint64(block.number);
        emit RootAnchored(issuerId, root, _msgSender());
    }

    /// @notice Revokes `leaf` for good, for the issuer the caller operates for.
    /// @dev Requires the caller to be an operator of an active issuer that anchored `root`, `path` to prove `leaf` is
    /// in `root`, and `leaf` not revoked. Reverts with `NotAnOperator`, `IssuerNotActive`, `RootNotAnchored`,
    /// `LeafNotInRoot` or `LeafAlreadyRevoked`. Emits `LeafRevoked`.
    /// @param leaf The credential leaf.
    /// @param root A root the issuer anchored that contains `leaf`.
    /// @param path The sorted-pair Merkle path from `leaf` to `root`.
    /// @param reason A reason code, stored with the status.
    function revoke(bytes32 leaf, bytes32 root, bytes32[] calldata path, uint16 reason) external {
        bytes32 issuerId = _ownLeaf(leaf, root, path);
        if (_leafStates[issuerId][leaf].status == LeafStatus.Revoked) revert LeafAlreadyRevoked(issuerId, leaf);
        _setLeafState(issuerId, leaf, LeafStatus.Revoked, reason);
        emit LeafRevoked(issuerId, leaf, root, reason, _msgSender());
    }

    /// @notice Suspends `leaf` until it is reinstated, for the issuer the caller operates for.
    /// @dev As `revoke`, and `leaf` must be active. Reverts with `NotAnOperator`, `IssuerNotActive`,
    /// `RootNotAnchored`, `LeafNotInRoot`, `LeafAlreadyRevoked` or `LeafAlreadySuspended`. Emits `LeafSuspended`.
    /// @param leaf The credential leaf.
    /// @param root A root the issuer anchored that contains `leaf`.
    /// @param path The sorted-pair Merkle path from `leaf` to `root`.
    /// @param reason A reason code, stored with the status.
    function suspend(bytes32 leaf, bytes32 root, bytes32[] calldata path, uint16 reason) external {
        bytes32 issuerId = _ownLeaf(leaf, root, path);
        LeafStatus status = _leafStates[issuerId][leaf].status;
        if (status == LeafStatus.Revoked) revert LeafAlreadyRevoked(issuerId, leaf);
        if (status == LeafStatus.Suspended) revert LeafAlreadySuspended(issuerId, leaf);
        _setLeafState(issuerId, leaf, LeafStatus.Suspended, reason);
        emit LeafSuspended(issuerId, leaf, root, reason, _msgSender());
    }

    /// @notice Reinstates a suspended `leaf`, for the issuer the caller operates for.
    /// @dev As `revoke`, and `leaf` must be suspended. Reverts with `NotAnOperator`, `IssuerNotActive`,
    /// `RootNotAnchored`, `LeafNotInRoot`, `LeafAlreadyRevoked` or `LeafNotSuspended`. Emits `LeafReinstated`.
    /// @param leaf The credential leaf.
    /// @param root A root the issuer anchored that contains `leaf`.
    /// @param path The sorted-pair Merkle path from `leaf` to `root`.
    /// @param reason A reason code, stored with the status.
    function reinstate(bytes32 leaf, bytes32 root, bytes32[] calldata path, uint16 reason) external {
        bytes32 issuerId = _ownLeaf(leaf, root, path);
        LeafStatus status = _leafStates[issuerId][leaf].status;
        if (status == LeafStatus.Revoked) revert LeafAlreadyRevoked(issuerId, leaf);
        if (status != LeafStatus.Suspended) revert LeafNotSuspended(issuerId, leaf);
        _setLeafState(issuerId, leaf, LeafStatus.Active, reason);
        emit LeafReinstated(issuerId, leaf, root, reason, _msgSender());
    }

    /// @notice The issuer id of `did`: `keccak256(bytes(did))`. Never reverts.
    /// @param did A DID.
    /// @return The issuer id.
    function issuerIdOf(string calldata did) external pure returns (bytes32) {
        return keccak256(bytes(did));
    }

    /// @notice Reads issuer `issuerId` with its operators. Never reverts; an unknown issuer has `registeredAt == 0`.
    /// @param issuerId The issuer.
    /// @return The issuer record.
    function issuerOf(bytes32 issuerId) external view returns (Issuer memory) {
        IssuerRecord storage record = _issuers[issuerId];
        return Issuer({
            did: record.did,
            name: record.name,
            admin: record.admin,
            registeredAt: record.registeredAt,
            active: record.active,
            operators: record.operators
        });
    }

    /// @notice The issuer `operator` currently acts for, or zero. Never reverts.
    /// @param operator An address.
    /// @return The issuer id, or `bytes32(0)`.
    function issuerOfOperator(address operator) external view returns (bytes32) {
        return _operatorIssuer[operator];
    }

    /// @notice When issuer `issuerId` anchored `root`. Never reverts; `anchoredAt == 0` when it never did.
    /// @param issuerId The issuer.
    /// @param root The Merkle root.
    /// @return The anchor record.
    function anchorOf(bytes32 issuerId, bytes32 root) external view returns (Anchor memory) {
        return _anchors[issuerId][root];
    }

    /// @notice The status issuer `issuerId` recorded for `leaf`. Never reverts.
    /// @param issuerId The issuer.
    /// @param leaf The credential leaf.
    /// @return The leaf state.
    function leafStateOf(bytes32 issuerId, bytes32 leaf) external view returns (LeafState memory) {
        return _leafStates[issuerId][leaf];
    }

    /// @notice Answers a verifier in one call: when issuer `issuerId` anchored `root`, whether `path` proves `leaf`
    /// is in it, the issuer's status of `leaf`, and the issuer's DID, name and standing. Never reverts.
    /// @dev The status is read by (issuerId, leaf) whether or not `root` is anchored. `leafInRoot` is computed from
    /// the path alone.
    /// @param issuerId The credential's issuer: `keccak256(bytes(did))` of its issuer DID.
    /// @param root The Merkle root from the credential's anchor proof.
    /// @param leaf The credential leaf.
    /// @param path The sorted-pair Merkle path from `leaf` to `root`.
    /// @return result The combined answer.
    function lookup(bytes32 issuerId, bytes32 root, bytes32 leaf, bytes32[] calldata path)
        external
        view
        returns (Lookup memory result)
    {
        return _lookup(issuerId, root, leaf, path);
    }

    /// @notice `lookup` for every query, in order, in one call. Never reverts (but a very long list can exceed the
    /// node's call gas limit; clients send a few hundred per call).
    /// @param queries The questions.
    /// @return results One answer per query.
    function lookupMany(LookupQuery[] calldata queries) external view returns (Lookup[] memory results) {
        results = new Lookup[](queries.length);
        for (uint256 i = 0; i < queries.length; ++i) {
            LookupQuery calldata query = queries[i];
            results[i] = _lookup(query.issuerId, query.root, query.leaf, query.path);
        }
    }

    /// @notice ERC-165: true for `ICredentialRegistry`, `IAccessControl` and `IERC165`.
    /// @param interfaceId The interface id to ask about.
    /// @return Whether this contract implements it.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(ICredentialRegistry).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev The shared body of `lookup` and `lookupMany`.
    function _lookup(bytes32 issuerId, bytes32 root, bytes32 leaf, bytes32[] calldata path)
        private
        view
        returns (Lookup memory result)
    {
        Anchor memory anchored = _anchors[issuerId][root];
        result.anchoredAt = anchored.anchoredAt;
        result.anchoredBlock = anchored.blockNumber;
        result.leafInRoot = MerkleProof.verifyCalldata(path, root, leaf);
        LeafState memory state = _leafStates[issuerId][leaf];
        result.status = state.status;
        result.statusReason = state.reason;
        result.statusSince = state.since;
        IssuerRecord storage record = _issuers[issuerId];
        result.issuerRegistered = record.registeredAt != 0;
        result.issuerActive = record.active;
        result.issuerDid = record.did;
        result.issuerName = record.name;
    }

    /// @dev Returns the record of a registered issuer, or reverts with `UnknownIssuer`.
    function _registered(bytes32 issuerId) private view returns (IssuerRecord storage record) {
        record = _issuers[issuerId];
        if (record.registeredAt == 0) revert UnknownIssuer(issuerId);
    }

    /// @dev Returns the record of a registered issuer the caller administers (as its admin or an accreditor).
    function _administered(bytes32 issuerId) private view returns (IssuerRecord storage record) {
        record = _registered(issuerId);
        address caller = _msgSender();
        if (caller != record.admin && !hasRole(ACCREDITOR_ROLE, caller)) revert NotIssuerAdmin(issuerId, caller);
    }

    /// @dev The active issuer the caller operates for, or reverts with `NotAnOperator` or `IssuerNotActive`.
    function _activeIssuerOfCaller() private view returns (bytes32 issuerId) {
        address caller = _msgSender();
        issuerId = _actingIssuer[caller];
        if (issuerId == bytes32(0)) {
            bytes32 served = _operatorIssuer[caller];
            if (served == bytes32(0)) revert NotAnOperator(caller);
            revert IssuerNotActive(served);
        }
    }

    /// @dev Points every operator in `operators` at `issuerId` (or at nothing) in `_actingIssuer`.
    function _setActing(address[] storage operators, bytes32 issuerId) private {
        uint256 count = operators.length;
        for (uint256 i = 0; i < count; ++i) {
            _actingIssuer[operators[i]] = issuerId;
        }
    }

    /// @dev Checks that the caller operates for an active issuer that anchored `root`, and that `path` leads from
    /// `leaf` to it; returns that issuer.
    function _ownLeaf(bytes32 leaf, bytes32 root, bytes32[] calldata path) private view returns (bytes32 issuerId) {
        issuerId = _activeIssuerOfCaller();
        if (_anchors[issuerId][root].anchoredAt == 0) revert RootNotAnchored(issuerId, root);
        if (!MerkleProof.verifyCalldata(path, root, leaf)) revert LeafNotInRoot(leaf, root);
    }

    /// @dev The only writer of leaf state; callers emit the matching past-tense event.
    function _setLeafState(bytes32 issuerId, bytes32 leaf, LeafStatus status, uint16 reason) private {
        _leafStates[issuerId][leaf] = LeafState({status: status, reason: reason, since: uint64(block.timestamp)});
    }
}
