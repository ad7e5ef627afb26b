// mocha runs TypeScript through tsx; test/setup.ts starts one throwaway database for the run
module.exports = {
  'node-option': ['import=tsx'],
  extension: ['ts'],
  spec: ['test/**/*.spec.ts'],
  require: ['test/setup.ts'],
  timeout: 60000,
  exit: true,
};
