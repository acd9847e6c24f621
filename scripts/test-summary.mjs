// Sums the results every suite wrote (vitest and Playwright JSON reports) and
// prints the closing line CI reads: "N passed, N failed".
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? '.tmp/results';
let passed = 0;
let failed = 0;

for (const file of readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort()) {
  const report = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  let p = 0;
  let f = 0;
  if (report.stats && 'expected' in report.stats) {
    // Playwright: a flaky test passed only on retry; count it as failed, we keep no retries.
    p = report.stats.expected;
    f = report.stats.unexpected + report.stats.flaky;
  } else if ('numPassedTests' in report) {
    p = report.numPassedTests;
    f =
      report.numFailedTests +
      (report.numRuntimeErrorTestSuites ?? 0) +
      (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? report.numFailedTestSuites : 0);
  }
  console.log(`${file.replace(/\.json$/, '').padEnd(16)} ${String(p).padStart(4)} passed, ${f} failed`);
  passed += p;
  failed += f;
}

const failedStages = path.join(dir, 'failed-stages.txt');
if (existsSync(failedStages)) {
  const stages = readFileSync(failedStages, 'utf8').trim().split('\n').filter(Boolean);
  console.log(`stages that failed: ${stages.join(', ')}`);
  // A stage can fail before it reports any test (a crash, a build error): never let that read as green.
  if (failed === 0) failed = stages.length;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
