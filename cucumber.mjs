// Cucumber runs the Gherkin scenarios in features/ on the real chain. Step definitions are
// TypeScript, loaded through tsx; each scenario starts what it needs and stops it.
const base = {
  import: ['features/support/**/*.ts', 'features/step_definitions/**/*.ts'],
  format: ['progress', 'summary'],
  formatOptions: { snippetInterface: 'async-await', printAttachments: true },
  strict: true,
  // Each scenario runs the whole chain of real processes on a shared 2-core machine: a failed
  // scenario is run once more (cucumber reports it as retried); a real regression fails twice.
  retry: 1,
};

// `npm run test:features`: everything except the full-length fault scenarios (minute-long
// outages), which `npm run test:long` runs. Two scenarios at a time: each mostly waits on real
// time (a scenario's chain uses about a quarter of one core), each on its own chain and ports.
export default { ...base, paths: ['features/**/*.feature'], tags: 'not @long', parallel: 2 };

export const long = { ...base, paths: ['features/**/*.feature'], tags: '@long' };

// One file or folder, given on the command line: `cucumber-js -p one features/gateway_faults.feature`.
export const one = base;
