#!/usr/bin/env node
/**
 * Runs Doyensec's electronegativity over the source and fails on any HIGH or MEDIUM finding
 * that is not on the allow-list below, each entry saying why that finding is safe.
 *
 *   node scripts/security-scan.mjs [--input <dir>] [--output <file.csv>]
 *
 * Defaults: input src/, report test-output/electronegativity.csv (plus a .json summary).
 * Part of `npm test` through test/unit/electron/security-scan.test.ts.
 */
import console from 'node:console';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Findings reviewed and accepted. `file` is relative to the scanned directory.
 * Matching is by check and file, so an entry survives edits elsewhere in the file.
 */
const ALLOWED = [
  {
    id: 'PRELOAD_JS_CHECK',
    file: 'main/electron/main-window.ts',
    why: 'The preload (src/preload/index.ts) runs sandboxed with context isolation and exposes only named functions through contextBridge, each invoking one fixed route; ipcRenderer itself never reaches the page.',
  },
  {
    id: 'PRELOAD_JS_CHECK',
    file: 'main/electron/indicator-window.ts',
    why: "The indicator's preload (src/preload/indicator.ts) runs sandboxed with context isolation and exposes one function that only receives updates: no route, no way to send.",
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/electron/parley-app.ts',
    why: 'The only shell.openExternal call, and it runs only for URLs that pass isAllowedExternalUrl (https, a fixed list of hosts, no credentials or ports).',
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/electron/main-window.ts',
    why: 'Not shell.openExternal: it hands window.open URLs to the allow-listed opener in parley-app.ts, which checks them.',
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/ipc/ipc-handlers.ts',
    why: 'Not shell.openExternal: the link.open handler calls its injected opener only after isAllowedExternalUrl accepted the URL.',
  },
];

const FAILING_SEVERITIES = new Set(['HIGH', 'MEDIUM']);

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: resolve(projectDir, 'src') },
    output: { type: 'string', default: resolve(projectDir, 'test-output', 'electronegativity.csv') },
  },
});
const input = resolve(values.input);
const output = resolve(values.output);
mkdirSync(dirname(output), { recursive: true });

const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const electronegativity = require('@doyensec/electronegativity');
const run = electronegativity.default ?? electronegativity;

const result = await run({
  input,
  output,
  isSarif: false,
  isRelative: true,
  electronVersionOverride: electronVersion,
  customScan: [],
  excludeFromScan: [],
  parserPlugins: [],
});

const findings = result.issues.map((issue) => ({
  id: issue.id,
  severity: issue.severity.name,
  confidence: issue.confidence.name,
  file: issue.file,
  line: issue.location?.line ?? null,
  sample: issue.sample ?? '',
  description: issue.description,
}));
const serious = findings.filter((finding) => FAILING_SEVERITIES.has(finding.severity));
const isAllowed = (finding) => ALLOWED.some((entry) => entry.id === finding.id && entry.file === finding.file);
const unexplained = serious.filter((finding) => !isAllowed(finding));
const unusedAllowances = ALLOWED.filter((entry) => !serious.some((finding) => finding.id === entry.id && finding.file === entry.file));

writeFileSync(
  output.replace(/\.csv$/, '.json'),
  `${JSON.stringify({ input: relative(projectDir, input) || '.', electronVersion, parseErrors: result.errors, findings, unexplained }, null, 2)}\n`,
);

for (const finding of serious) {
  const verdict = isAllowed(finding) ? 'allowed' : 'NOT ALLOWED';
  console.log(`${finding.severity.padEnd(6)} ${finding.id} ${finding.file}:${finding.line} (${verdict})`);
}
if (result.errors.length > 0) {
  console.log(`electronegativity could not parse ${result.errors.length} file(s); see ${relative(projectDir, output.replace(/\.csv$/, '.json'))}.`);
}
if (unexplained.length > 0) {
  console.error(
    `Security scan failed: ${unexplained.length} high or medium finding(s) are neither fixed nor on the allow-list in scripts/security-scan.mjs.`,
  );
  process.exit(1);
}
if (input === resolve(projectDir, 'src') && unusedAllowances.length > 0) {
  for (const entry of unusedAllowances) console.error(`Allow-list entry no longer needed: ${entry.id} in ${entry.file}. Remove it.`);
  process.exit(1);
}
console.log(`Security scan passed: ${findings.length} finding(s), none high or medium without a reason (report: ${relative(projectDir, output)}).`);
