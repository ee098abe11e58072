// Unit tests: plain Node, no VS Code. TypeScript is loaded through tsx.
module.exports = {
  require: ['tsx/cjs', 'test/unit/setup/buildBundledPlugins.ts'],
  spec: ['test/unit/**/*.test.ts'],
  extension: ['ts'],
  timeout: 10000,
  reporter: process.env.PATCHBAY_MOCHA_REPORTER || 'spec',
};
