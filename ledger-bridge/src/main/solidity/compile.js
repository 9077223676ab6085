// Compiles CovenantAudit.sol with the solc (solcjs) npm package pinned in .ci/peers-npm/package.json, via the
// standard JSON interface, and writes the ABI and the creation bytecode.
//   node compile.js <solc-package-dir> <output-dir>
// compile.sh runs it with the pinned install; the test CommittedContractMatchesSource runs it to check the
// committed resources.
'use strict';
const fs = require('fs');
const path = require('path');
const [solcDir, outDir] = process.argv.slice(2);
if (!solcDir || !outDir) {
  console.error('usage: node compile.js <solc-package-dir> <output-dir>');
  process.exit(2);
}
const solc = require(path.resolve(solcDir));
const source = fs.readFileSync(path.join(__dirname, 'CovenantAudit.sol'), 'utf8');
const input = {
  language: 'Solidity',
  sources: { 'CovenantAudit.sol': { content: source } },
  settings: {
    evmVersion: 'shanghai',
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { 'CovenantAudit.sol': { CovenantAudit: ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);
const c = output.contracts['CovenantAudit.sol'].CovenantAudit;
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'CovenantAudit.abi.json'), JSON.stringify(c.abi, null, 2) + '\n');
fs.writeFileSync(path.join(outDir, 'CovenantAudit.bin'), c.evm.bytecode.object + '\n');
console.log('compiled CovenantAudit with solc ' + solc.version() + ' (evmVersion shanghai, optimizer 200 runs) into ' + outDir);
