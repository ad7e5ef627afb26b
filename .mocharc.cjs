// mocha runs TypeScript through tsx; test/setup.ts starts one throwaway database for the run
module.exports = {
  'node-option': ['import=tsx'],
  extension: ['ts'],
  require: ['test/setup.ts'],
  reporter: './test/helpers/reporter.cjs',
  timeout: 60000,
  exit: true,
};
