/**
 * @traderadmin/rules-gen: config.toml → prometheus.yml, rules.yml, alertmanager.yml,
 * promtool test suites and secret files; plus check, diff, apply and explain, shared by the
 * `traderadmin` commands and the alerts configuration page.
 */
export { generate, MAIN_FILES, WEB_CONFIG_FILE } from './generate.js';
export type { GenerateOptions, GeneratedFile, GeneratedFiles } from './generate.js';
export { readGenerated, writeGenerated } from './write.js';
export type { WriteResult } from './write.js';
export { alertmanagerArgs, restartWindowTimes, routingCases, weekdayRanges } from './alertmanager.js';
export type { AlertmanagerArgsOptions, RoutingCase } from './alertmanager.js';
export { ALERT_NAMES, ALWAYS_ON, EXPORTER_SCOPES, JOBS, POSITIONS_JOB, buildModel, connectAddress, duration } from './model.js';
export type { AlertName, AlertRule, ChannelRoute, Model, RecordingRule, Threshold } from './model.js';
export { ALERTS, alertDefinition } from './alerts/index.js';
export type { AlertDefinition, Inhibition } from './alerts/index.js';
export { RUNBOOKS_FILE, runbooksMarkdown } from './runbooks.js';
export { ENGINE_PASSWORD_FILE } from './prometheus.js';
export { RULE_GROUP } from './rules.js';
export { GENERATED_MARK } from './yaml.js';
export { decimal, shift } from './decimal.js';
export { checkGenerated, keyForMessage, toolAvailable } from './check.js';
export type { CheckOptions, CheckProblem, CheckResult, Tool, ToolRun } from './check.js';
export { explain, formatExplanation } from './explain.js';
export type { AlertExplanation, ChannelTimeline } from './explain.js';
export { describeAlertmanagerChanges, describeRuleChanges, diffFiles, diffLive, fetchLive, formatDiff, thresholdOf } from './diff.js';
export type { DiffResult, FileDiff, LiveOptions, LiveState } from './diff.js';
export { unifiedDiff } from './unified.js';
export { PREVIOUS_DIR, applyConfig, defaultUrls, metricValue } from './apply.js';
export type { ApplyOptions, ApplyResult } from './apply.js';
