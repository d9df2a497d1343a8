/** Configuration: schema, validation, cron evaluation, database selection (the file's text: ./config-text.ts). */
export { backupTimeoutPropertySeconds, MIN_BACKUP_TIMEOUT_SECONDS } from './backup-timeout.ts';
export {
  type ConnectionWarning,
  clusterConnectionWarnings,
  connectionWarnings,
  formatConnectionWarning,
} from './connection-warnings.ts';
export { analyzeCron, type CronAnalysis, type CronExpression, parseCron } from './cron.ts';
export {
  type DatabaseFilters,
  type DatabaseSelection,
  type ExcludedDatabase,
  type ExclusionReason,
  SYSTEM_DATABASES,
  selectDatabases,
} from './database-selection.ts';
export { formatPath } from './issues.ts';
// The file's text (YAML) is parsed in ./config-text.ts, imported from there: Lambda bundles must not carry a YAML parser.
export { effectiveDatabaseFilters, parseClusterSettings, parseConfig, toClusterSettings } from './parse.ts';
export { nextSlots, previousSlot, type ScheduleTiming } from './schedule-slots.ts';
export {
  type BackupConfig,
  type BackupConfigInput,
  backupConfigSchema,
  type ClusterConfig,
  type ClusterSettings,
  clusterSchema,
  clusterSettingsSchema,
  DEFAULTS,
  type DifferentialSettings,
  differentialSettingsSchema,
  LEASE_MIN_SECONDS,
  LIMITS,
  type LockConfig,
  lockSchema,
  NAME_PATTERN,
  type PollConfig,
  pollSchema,
  reportClusterSchema,
  SCHEDULE_MODES,
  type ScheduleConfig,
  SECRET_ARN_PATTERN,
  scheduleSchema,
  slackSchema,
  type TlsConfig,
} from './schema.ts';
export { timeZoneProblem } from './time-zone.ts';
