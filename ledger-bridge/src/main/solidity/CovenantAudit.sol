// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title Covenant audit log on an EVM chain (Hyperledger Besu QBFT in production, Ganache in tests).
/// @notice Sequences actor-signed Covenant events exactly as the embedded ledger does: entry i commits to the
/// canonical JSON {"event":E,"index":i,"previous":"H"} by its RFC 9162 leaf hash SHA-256(0x00 || leaf), and H is
/// the leaf hash of entry i-1 (32 zero bytes for entry 0). The contract computes the leaf itself, so the chain
/// alone fixes the order and the hash links; nobody can slot an entry in with a stale index.
/// @dev What it cannot check: Ed25519 signatures (the EVM has no precompile for them) and whether the payload is a
/// well-formed SignedEvent. Clients check signatures before sending (io.covenant.ledger.evm.EvmLedger) and every
/// reader re-checks payload, statement hash, actor and type against the log; a bad entry is attributable to the
/// member address that sent it. The payload holds ids and hashes only, never data values.
contract CovenantAudit {
    struct Entry {
        bytes32 leafHash;
        bytes32 statementHash; // SHA-256 of the canonical signed statement
        bytes32 actor; // keccak256 of the actor's organisation id
        bytes32 eventType; // the event type's name, ASCII, left-aligned (e.g. "JOB_SUBMITTED")
    }

    bytes32 private constant ORG_REGISTERED = "ORG_REGISTERED";

    address public immutable admin;
    uint64 public immutable deployedAt;

    /// member address => keccak256(organisation id); zero for non-members
    mapping(address => bytes32) public organisationOf;
    /// keccak256(organisation id) => true once its ORG_REGISTERED is on the log
    mapping(bytes32 => bool) public registered;

    Entry[] private entries;
    bytes32 public lastLeaf;
    uint64 public anchoredSize;

    event MemberAdded(address indexed member, bytes32 indexed organisation);
    event EventAppended(
        uint64 indexed index,
        bytes32 leafHash,
        bytes32 previous,
        address indexed sender,
        bytes32 indexed actor,
        bytes32 statementHash,
        bytes32 eventType,
        bytes payload
    );
    event CheckpointAnchored(
        uint64 indexed treeSize, bytes32 root, address indexed sender, uint64 atMillis, bytes32 logKey, bytes signature
    );

    error NotAdmin(address sender);
    error NotAMember(address sender);
    error AlreadyAMember(address member);
    error WrongActor(address sender, bytes32 memberOf, bytes32 actor);
    error AlreadyRegistered(bytes32 actor);
    error NotRegistered(bytes32 actor);
    error AnchorShrinks(uint64 anchoredSize, uint64 treeSize);

    constructor() {
        admin = msg.sender;
        deployedAt = uint64(block.number);
    }

    /// @notice The admin (the consortium's operator) admits an organisation's transaction address.
    function addMember(address member, bytes32 organisation) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        if (organisationOf[member] != bytes32(0)) revert AlreadyAMember(member);
        organisationOf[member] = organisation;
        emit MemberAdded(member, organisation);
    }

    /// @notice Appends the sender's own event. `payload` is the canonical JSON of the SignedEvent.
    function append(bytes32 statementHash, bytes32 actor, bytes32 eventType, bytes calldata payload)
        external
        returns (uint64 index)
    {
        bytes32 org = organisationOf[msg.sender];
        if (org == bytes32(0)) revert NotAMember(msg.sender);
        if (org != actor) revert WrongActor(msg.sender, org, actor);
        if (eventType == ORG_REGISTERED) {
            if (registered[actor]) revert AlreadyRegistered(actor);
            registered[actor] = true;
        } else if (!registered[actor]) {
            revert NotRegistered(actor);
        }
        index = uint64(entries.length);
        bytes32 previous = lastLeaf;
        bytes32 leaf = sha256(
            abi.encodePacked(
                bytes1(0x00),
                '{"event":',
                payload,
                ',"index":',
                decimal(index),
                ',"previous":"',
                hex64(previous),
                '"}'
            )
        );
        entries.push(Entry(leaf, statementHash, actor, eventType));
        lastLeaf = leaf;
        emit EventAppended(index, leaf, previous, msg.sender, actor, statementHash, eventType, payload);
    }

    /// @notice Hybrid mode: a member anchors the embedded log's signed tree head (RFC 9162 style checkpoint).
    function anchor(uint64 treeSize, bytes32 root, uint64 atMillis, bytes32 logKey, bytes calldata signature) external {
        if (organisationOf[msg.sender] == bytes32(0)) revert NotAMember(msg.sender);
        if (treeSize < anchoredSize) revert AnchorShrinks(anchoredSize, treeSize);
        anchoredSize = treeSize;
        emit CheckpointAnchored(treeSize, root, msg.sender, atMillis, logKey, signature);
    }

    function size() external view returns (uint64) {
        return uint64(entries.length);
    }

    function entryAt(uint64 index) external view returns (Entry memory) {
        return entries[index];
    }

    function decimal(uint64 v) private pure returns (bytes memory out) {
        if (v == 0) return "0";
        uint256 digits;
        for (uint64 t = v; t != 0; t /= 10) digits++;
        out = new bytes(digits);
        for (; v != 0; v /= 10) out[--digits] = bytes1(uint8(48 + (v % 10)));
    }

    function hex64(bytes32 h) private pure returns (bytes memory out) {
        bytes16 alphabet = "0123456789abcdef";
        out = new bytes(64);
        for (uint256 i = 0; i < 32; i++) {
            out[2 * i] = alphabet[uint8(h[i]) >> 4];
            out[2 * i + 1] = alphabet[uint8(h[i]) & 0x0f];
        }
    }
}
