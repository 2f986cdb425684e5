// Writes each Jest run's counts to tmp/test-results/<project>-<target>.json
// (<name>-<pid>-<time>.json outside Nx); the `npm test` driver sums them into
// the single closing "N passed, N failed". Under Nx the file is the task's
// output, so a cached run brings its counts back with it.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    const dir = join(__dirname, '../../tmp/test-results');
    mkdirSync(dir, { recursive: true });
    const project = process.env.NX_TASK_TARGET_PROJECT;
    const name = (this.globalConfig.rootDir || 'jest').replace(/[^a-z0-9]+/gi, '-').slice(-60);
    writeFileSync(
      join(
        dir,
        project
          ? `${project}-${process.env.NX_TASK_TARGET_TARGET}.json`
          : `${name}-${process.pid}-${Date.now()}.json`,
      ),
      JSON.stringify({
        rootDir: this.globalConfig.rootDir,
        // Nx names the task it runs; the driver uses it to tell a failed run from a crashed one.
        task: project ? `${project}:${process.env.NX_TASK_TARGET_TARGET}` : undefined,
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        suitesFailed: results.numFailedTestSuites,
      }),
    );
  }
}

module.exports = SummaryReporter;
