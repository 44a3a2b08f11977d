/**
 * @traderadmin/console: the alerts configuration page (the design's AlertsConfigurationTab).
 * `startAlertsPage()` serves it for one config.toml; the pieces are exported for the CLI,
 * the Cucumber steps and anyone who edits config.toml programmatically.
 */
export { startAlertsPage, bundleClient } from './server.js';
export type { AlertsPageOptions, RunningPage } from './server.js';
export { ConfigEditor } from './editor.js';
export type { Answer, EditorOptions } from './editor.js';
export { ConfigHistory, sha256 } from './history.js';
export type { HistoryOptions, RecordInput } from './history.js';
export { stackDeployer, generatedChanges } from './deploy.js';
export type { Deployer, DeployResult, StackDeployerOptions } from './deploy.js';
export { patchToml, formatValue, formatKey, formatString, TomlPatchError } from './tomlPatch.js';
export type { TomlEdit, TomlValue } from './tomlPatch.js';
export { draftFromRaw, editsFromDraft } from './draft.js';
export { keyChanges, literalSecrets, scrub, SECRET_IN_FILE } from './changes.js';
export { sendTestAlert, TEST_MESSAGE } from './bridge.js';
export { writeFileAtomic } from './files.js';
export * from './shared/api.js';
