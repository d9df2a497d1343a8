import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  BackupSchedulerStack,
  type ExistingResources,
  type SchedulerSettings,
} from '#cdk/backup-scheduler-stack.ts';
import { loadConfigFileSync } from '#cdk/config-file.ts';
import {
  StarRocksBackupScheduler,
  type StarRocksBackupSchedulerProps,
} from '#cdk/constructs/starrocks-backup-scheduler.ts';
import { type BackupConfig, type BackupConfigInput, parseConfig } from '#domain/config/index.ts';
import {
  SCHEDULE_KINDS,
  type ScheduleDeployment,
  type ScheduleEntry,
  type ScheduleRequest,
  type ScheduleSet,
  scheduleRequest,
  scheduleSetSchema,
} from '#domain/schedules/schedule-set.ts';

/** The committed example configuration, as `cdk deploy -c config=backup.config.example.yaml` reads it. */
export const EXAMPLE_CONFIG_PATH = join(import.meta.dirname, '../../backup.config.example.yaml');

/** The example configuration, parsed. */
export function exampleConfig(): BackupConfig {
  return loadConfigFileSync(EXAMPLE_CONFIG_PATH);
}

const SECRET_PREFIX = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:';

/** A configuration of `clusters` clusters with `schedules` schedules each (every cluster has its own secret). */
export function scaledConfig(clusters: number, schedules: number): BackupConfig {
  const input: BackupConfigInput = {
    clusters: Array.from({ length: clusters }, (_, c) => ({
      name: `cluster${c + 1}`,
      host: `fe${c + 1}.internal`,
      passwordSecretArn: `${SECRET_PREFIX}starrocks/cluster${c + 1}`,
      repository: 's3_repo',
      schedules: Array.from({ length: schedules }, (_, s) => ({
        name: `schedule${s + 1}`,
        cron: `${s * 5} 2 * * ? *`,
        timezone: 'Europe/Berlin',
      })),
    })),
    slack: { webhookSecretArn: `${SECRET_PREFIX}starrocks/slack` },
  };
  return parseConfig(input);
}

/** A configuration from a partial input (defaults filled in by the real schema). */
export function configFrom(input: BackupConfigInput): BackupConfig {
  return parseConfig(input);
}

/**
 * An app whose stacks skip esbuild bundling (seconds per synth saved) and, as under the CDK CLI, record each
 * resource's construct path in its metadata. CDK's built-in template validation (a WASM engine that takes
 * seconds to start) is off: cfn-lint.test.ts lints the template, and `cdk synth` keeps it on.
 */
export function appWithoutBundling(): App {
  return new App({
    context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true },
    builtinCloudFormationValidation: false,
    treeMetadata: false,
  });
}

/** Synthesizes the deployable stack (bundling skipped) and returns its template. */
export function synthStack(
  scheduler: SchedulerSettings,
  existing?: ExistingResources,
): { stack: BackupSchedulerStack; template: Template } {
  const app = appWithoutBundling();
  const stack = new BackupSchedulerStack(app, 'TestStack', {
    scheduler,
    ...(existing === undefined ? {} : { existing }),
  });
  return { stack, template: Template.fromStack(stack) };
}

/** Embeds the construct in a bare stack (bundling skipped), with a setup hook for VPCs, topics, keys. */
export function synthConstruct(makeProps: (stack: Stack) => StarRocksBackupSchedulerProps): {
  stack: Stack;
  scheduler: StarRocksBackupScheduler;
  template: Template;
} {
  const app = appWithoutBundling();
  const stack = new Stack(app, 'EmbeddingStack');
  const scheduler = new StarRocksBackupScheduler(stack, 'Backups', makeProps(stack));
  return { stack, scheduler, template: Template.fromStack(stack) };
}

/** A CloudFormation resource as it appears in a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}

/** The template's resources of one type, by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, TemplateResource> {
  return template.findResources(type) as Record<string, TemplateResource>;
}

/** The logical id of the one resource whose `aws:cdk:path` ends with `pathSuffix`. */
export function logicalIdByPath(template: Template, pathSuffix: string): string {
  const matches = Object.entries(template.toJSON().Resources as Record<string, TemplateResource>).filter(
    ([, resource]) => String(resource.Metadata?.['aws:cdk:path'] ?? '').endsWith(pathSuffix),
  );
  if (matches.length !== 1) {
    throw new Error(`expected one resource at …${pathSuffix}, found ${matches.length}`);
  }
  return (matches[0] as [string, TemplateResource])[0];
}

/** Counts resources per type. */
export function countByType(template: Template): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(template.toJSON().Resources as Record<string, TemplateResource>)) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return counts;
}

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/**
 * Resolves the intrinsics CDK puts in our templates (Ref, Fn::GetAtt, Fn::Join) to the strings CloudFormation
 * would produce, naming each resource by its logical id: a function ARN ends in `function:<LogicalId>`, a version's
 * in `function:<LogicalId of its function>:1`.
 */
export function resolveIntrinsic(template: Template, value: unknown): string {
  const resources = template.toJSON().Resources as Record<string, TemplateResource>;
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if ('Ref' in node) {
      const ref = node.Ref as string;
      if (ref === 'AWS::Partition') return 'aws';
      if (ref === 'AWS::Region') return REGION;
      if (ref === 'AWS::AccountId') return ACCOUNT;
      const type = resources[ref]?.Type;
      if (type === 'AWS::StepFunctions::StateMachine')
        return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${ref}`;
      if (type === 'AWS::Lambda::Version') {
        const functionId = (resources[ref]?.Properties.FunctionName as { Ref?: string } | undefined)?.Ref;
        return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionId}:1`;
      }
      if (type === undefined) throw new Error(`Ref to unknown resource ${ref}`);
      return ref;
    }
    if ('Fn::GetAtt' in node) {
      const [id, attribute] = node['Fn::GetAtt'] as [string, string];
      const type = resources[id]?.Type;
      if (type === undefined) throw new Error(`Fn::GetAtt on unknown resource ${id}`);
      if (type === 'AWS::Lambda::Function' && attribute === 'Arn')
        return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`;
      if (attribute === 'Name') return id;
      return `arn:aws:${id}:${attribute}`;
    }
    if ('Fn::Join' in node) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => resolveIntrinsic(template, part)).join(separator);
    }
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/**
 * The definition of a state machine as Step Functions would receive it: DefinitionString resolved, then every
 * `${key}` of DefinitionSubstitutions replaced (as CloudFormation does). Returns the text, so that a caller can
 * check nothing is left before parsing it.
 */
export function deployedDefinitionText(template: Template, stateMachineId: string): string {
  const resources = template.toJSON().Resources as Record<string, TemplateResource>;
  const properties = resources[stateMachineId]?.Properties;
  if (properties === undefined) throw new Error(`no state machine ${stateMachineId}`);
  const text = resolveIntrinsic(template, properties.DefinitionString);
  const substitutions = (properties.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (placeholder, key: string) =>
    key in substitutions ? resolveIntrinsic(template, substitutions[key]) : placeholder,
  );
}

/** How a state machine role names every version of a function: `<function ARN>:*`. */
export function everyVersionOf(functionId: string): unknown {
  return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [functionId, 'Arn'] }, ':*']] };
}

/** The schedule set as the deploy uploads it: the staged JSON asset the custom resource points at. */
export function stagedScheduleSet(construct: StarRocksBackupScheduler): ScheduleSet {
  const { asset } = construct.scheduleSync;
  const outdir = Stage.of(construct)?.outdir ?? '';
  const path = isAbsolute(asset.assetPath) ? asset.assetPath : join(outdir, asset.assetPath);
  return scheduleSetSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** One schedule as the sync would create it, with the template's intrinsics (Ref, Fn::GetAtt) left in place. */
export interface SyncedSchedule {
  readonly entry: ScheduleEntry;
  readonly request: ScheduleRequest;
}

/**
 * Every schedule the deploy's sync would create: the staged schedule set combined with the custom resource's
 * properties exactly as the function combines them (scheduleRequest), the ARNs still as template intrinsics.
 */
export function syncedSchedules(template: Template, construct: StarRocksBackupScheduler): SyncedSchedule[] {
  const resources = Object.values(resourcesOfType(template, 'Custom::ScheduleSync'));
  if (resources.length !== 1) throw new Error(`expected one Custom::ScheduleSync, found ${resources.length}`);
  const properties = (resources[0] as TemplateResource).Properties;
  const raw = (name: string) => properties[name] as string;
  const prefix = (kind: string) => `${kind[0]?.toUpperCase()}${kind.slice(1)}`;
  const deployment: ScheduleDeployment = {
    targets: Object.fromEntries(
      SCHEDULE_KINDS.map((kind) => [
        kind,
        {
          group: raw(`${prefix(kind)}Group`),
          stateMachineArn: raw(`${prefix(kind)}StateMachineArn`),
          roleArn: raw(`${prefix(kind)}RoleArn`),
        },
      ]),
    ) as ScheduleDeployment['targets'],
    deadLetterQueueArn: raw('DeadLetterQueueArn'),
  };
  return stagedScheduleSet(construct).schedules.map((entry) => ({
    entry,
    request: scheduleRequest(entry, deployment),
  }));
}
