// The Hardhat node ledger-bridge's tests start (EvmTestNode.hardhat()): chain id 1337 like the other test nodes,
// one block per transaction, and a reverting transaction refused in the answer to eth_sendRawTransaction (Hardhat's
// default), which is the behaviour the tests need from it. The fixture funds its own accounts with hardhat_setBalance.
module.exports = { networks: { hardhat: { chainId: 1337, mining: { auto: true } } } };
