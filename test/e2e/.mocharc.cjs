// End-to-end tests: a real VS Code (code-server) driven in Chromium. They install the
// packaged .vsix; `npm test` packages it first (or set PATCHBAY_VSIX).
module.exports = {
  require: ['tsx/cjs'],
  spec: ['test/e2e/**/*.e2e.ts'],
  // First of all: check that the VS Code under test is the release the suites expect.
  file: ['test/e2e/vsCodeVersion.e2e.ts'],
  ignore: ['test/e2e/vsCodeVersion.e2e.ts'],
  extension: ['ts'],
  timeout: 180000,
  slow: 20000,
  reporter: process.env.PATCHBAY_MOCHA_REPORTER || 'spec',
};
