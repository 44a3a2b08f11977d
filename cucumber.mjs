// Cucumber runs the Gherkin scenarios in features/ on the real chain. Step definitions are
// TypeScript, loaded through tsx; each scenario starts what it needs and stops it.
export default {
  paths: ['features/**/*.feature'],
  import: ['features/support/**/*.ts', 'features/step_definitions/**/*.ts'],
  format: ['progress', 'summary'],
  formatOptions: { snippetInterface: 'async-await', printAttachments: true },
  strict: true,
};
