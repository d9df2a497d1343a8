import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The workflow definitions, by the name the CDK stack and the local runner use. */
export const STATE_MACHINE_FILES = {
  nightlyBackup: fileURLToPath(new URL('./nightly-backup.asl.json', import.meta.url)),
  backupLane: fileURLToPath(new URL('./backup-lane.asl.json', import.meta.url)),
  backupDatabase: fileURLToPath(new URL('./backup-database.asl.json', import.meta.url)),
  restoreDrill: fileURLToPath(new URL('./restore-drill.asl.json', import.meta.url)),
  restore: fileURLToPath(new URL('./restore.asl.json', import.meta.url)),
  freshnessCheck: fileURLToPath(new URL('./freshness-check.asl.json', import.meta.url)),
  settleExecution: fileURLToPath(new URL('./settle-execution.asl.json', import.meta.url)),
} as const;

/** A state machine known to this project. */
export type StateMachineName = keyof typeof STATE_MACHINE_FILES;

/**
 * Every Lambda-backed Task resource, by placeholder stem: `${<Stem>FunctionArn}` in the ASL. Each is also the name of
 * the folder under `lambdas/functions/` that holds the function's handler (test/unit/statemachines/layout.test.ts).
 */
export const TASK_FUNCTION_NAMES = [
  'ResolveDatabases',
  'ClaimDatabase',
  'AcquireSlot',
  'AcquireLock',
  'SettleOrphans',
  'SubmitBackup',
  'CheckBackup',
  'CancelBackup',
  'CancelIfOurs',
  'VerifySnapshot',
  'RecordResult',
  'ReleaseLeases',
  'NotifyFailure',
  'SummarizeRun',
  'PlanDrill',
  'PlanRestore',
  'SubmitRestore',
  'CheckRestore',
  'NextRestoreStep',
  'CancelRestore',
  'VerifyRestore',
  'DropScratch',
  'RecordDrill',
  'NotifyDrill',
  'PruneSnapshots',
  'NotifyPruneFailure',
  'CheckFreshness',
  'NotifyIncidents',
] as const;

/** The stem of a Lambda placeholder, e.g. `SubmitBackup` for `${SubmitBackupFunctionArn}`. */
export type TaskFunctionName = (typeof TASK_FUNCTION_NAMES)[number];

/** Whether `name` is a Task function's stem. */
export function isTaskFunctionName(name: string): name is TaskFunctionName {
  return (TASK_FUNCTION_NAMES as readonly string[]).includes(name);
}

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** Reads a definition's raw text (placeholders still in it). */
export function readDefinitionText(name: StateMachineName): string {
  return readFileSync(STATE_MACHINE_FILES[name], 'utf8');
}

/** Every `${Placeholder}` name used in a definition's text, sorted and without repeats. */
export function placeholdersIn(definitionText: string): string[] {
  return [...new Set([...definitionText.matchAll(PLACEHOLDER)].map((match) => match[1] as string))].sort();
}

/**
 * Replaces every `${Placeholder}` as Step Functions' DefinitionSubstitutions would, and refuses to
 * leave one unresolved (AWS would reject the definition at deploy time; we want to know sooner).
 */
export function substitute(definitionText: string, substitutions: Readonly<Record<string, string>>): string {
  return definitionText.replace(PLACEHOLDER, (_match, key: string) => {
    const value = substitutions[key];
    if (value === undefined)
      throw new Error(`no substitution for \${${key}} in the state machine definition`);
    return value;
  });
}

/** The Lambda function ARN placeholder for a Task stem. */
export function functionPlaceholder(name: TaskFunctionName): string {
  return `${name}FunctionArn`;
}
