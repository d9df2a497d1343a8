import { ArnFormat, Aws, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { BackupConfig } from '#domain/config/index.ts';
import { BUNDLED_REPORT_ASSETS_DIRECTORY, reportAssetFileNames } from '#domain/report/asset-files.ts';
import { reportAssetSources } from '#domain/report/assets.ts';
import { type ScheduledReport, scheduledReport } from '#domain/report/scheduled.ts';
import { SCHEDULED_TIME_PLACEHOLDER } from '#domain/schedules/schedule-set.ts';
import { CATALOG_BY_CLUSTER_TIME_INDEX } from '#domain/tables.ts';
import { atLeastOnceAlarm } from './backup-monitoring.ts';
import { SCHEDULED_FUNCTION_ACCESS } from './function-access.ts';
import { jsonAsset } from './json-asset.ts';
import { acknowledgeNag, nagText } from './nag.ts';
import { NodeFunction } from './node-function.ts';
import { grantSecretsRead } from './secret-grants.ts';

/** A week's report of many databases is rendered in memory: room for it, and time to read the catalog. */
export const REPORT_FUNCTION_TIMEOUT = Duration.minutes(10);
/** @see REPORT_FUNCTION_TIMEOUT */
export const REPORT_FUNCTION_MEMORY_MB = 1024;

/** How late a weekly report may still be written (retries included): the same day is still worth it. */
export const REPORT_MAX_EVENT_AGE = Duration.hours(6);
/** Scheduler's retries of an invocation Lambda refused (throttled, say). */
export const REPORT_RETRY_ATTEMPTS = 10;

/** Properties of the weekly report. */
export interface WeeklyReportProps {
  /** A configuration with `report` (validated). */
  readonly config: BackupConfig;
  readonly catalogTable: dynamodb.TableV2;
  readonly locksTable: dynamodb.TableV2;
  /** Where Scheduler puts an invocation it could not deliver (the stack's one dead-letter queue). */
  readonly deadLetterQueue: sqs.IQueue;
  /** Where the function's failure alarm goes. */
  readonly alarmTopic: sns.ITopic;
  readonly secretsEncryptionKeys: readonly kms.IKey[];
  readonly removalPolicy: RemovalPolicy;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The deployed weekly report (opt-in `report:`): an EventBridge Scheduler schedule (the configured cron, in its
 * zone) invokes WriteReport, which reads the catalog (Query only), writes the past week's HTML report under
 * `s3://<bucket>/<prefix>` and posts the Slack digest. The clusters' report fields travel in a JSON asset the
 * function reads, so the schedule's input stays small whatever the number of clusters.
 */
export class WeeklyReport extends Construct {
  /** What the function is asked to report on (the asset's content). */
  readonly request: ScheduledReport;
  readonly requestAsset: s3assets.Asset;
  readonly function: NodeFunction;
  readonly schedule: scheduler.CfnSchedule;
  /** The role Scheduler invokes the function with. */
  readonly schedulerRole: iam.Role;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: WeeklyReportProps) {
    super(scope, id);
    const request = scheduledReport(props.config);
    const { report } = props.config;
    if (request === undefined || report === undefined) {
      throw new Error('WeeklyReport needs a configuration with `report`');
    }
    this.request = request;
    const stack = Stack.of(this);
    this.requestAsset = jsonAsset(this, 'Request', {
      directoryName: '.report-requests',
      filePrefix: 'report-request',
      value: request,
    });

    const access = SCHEDULED_FUNCTION_ACCESS.WriteReport;
    const webhookSecretArn = props.config.slack.webhookSecretArn;
    const sources = reportAssetSources();
    this.function = new NodeFunction(this, 'WriteReport', {
      lambdaFolder: 'WriteReport',
      description: `StarRocks backup: ${access.purpose}`,
      environment: {
        LOCKS_TABLE_NAME: props.locksTable.tableName,
        CATALOG_TABLE_NAME: props.catalogTable.tableName,
        ...(webhookSecretArn === undefined ? {} : { SLACK_WEBHOOK_SECRET_ARN: webhookSecretArn }),
      },
      timeout: REPORT_FUNCTION_TIMEOUT,
      memorySize: REPORT_FUNCTION_MEMORY_MB,
      bundledFiles: Object.fromEntries(
        reportAssetFileNames().map((name) => [
          `${BUNDLED_REPORT_ASSETS_DIRECTORY}${name}`,
          sources[name] as string,
        ]),
      ),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: props.removalPolicy,
    });
    this.grantReading(props.catalogTable, access.catalog, access.queriesCatalogIndexes ?? false);
    this.grantReportWriting(request);
    if (access.slackWebhook && webhookSecretArn !== undefined) {
      grantSecretsRead(this.function.role, [webhookSecretArn], props.secretsEncryptionKeys);
    }

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'EventBridge Scheduler: invoke the weekly report function',
      // The confused-deputy conditions: only schedules of this account, in the default group (where this one is).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule',
              resourceName: 'default/*',
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          },
        },
      }),
    });
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.function.functionArn],
      }),
    );
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.deadLetterQueue.queueArn] }),
    );

    const { schedule } = report;
    // A Lambda target is invoked asynchronously, so a failed invocation is retried by Lambda (twice) and the
    // schedule's own retries cover only invocations Lambda did not accept:
    // https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html
    // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
    this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      description: "StarRocks backup: the past week's report",
      scheduleExpression: `cron(${schedule.cron})`,
      scheduleExpressionTimezone: schedule.timezone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.function.function.functionArn,
        roleArn: this.schedulerRole.roleArn,
        input: stack.toJsonString({
          request: { bucket: this.requestAsset.s3BucketName, key: this.requestAsset.s3ObjectKey },
          region: Aws.REGION,
          scheduledTime: SCHEDULED_TIME_PLACEHOLDER,
        }),
        retryPolicy: {
          maximumRetryAttempts: REPORT_RETRY_ATTEMPTS,
          maximumEventAgeInSeconds: REPORT_MAX_EVENT_AGE.toSeconds(),
        },
        deadLetterConfig: { arn: props.deadLetterQueue.queueArn },
      },
    });
    // The role's permissions exist before the first firing.
    const rolePolicy = this.schedulerRole.node.tryFindChild('DefaultPolicy');
    if (rolePolicy !== undefined) this.schedule.node.addDependency(rolePolicy);

    this.alarm = atLeastOnceAlarm(this, 'WriteReportFailing', {
      metric: this.function.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      description:
        "The WriteReport function failed: the week's report or its Slack digest is missing (Lambda retries it twice). See its log group.",
      action: new actions.SnsAction(props.alarmTopic),
    });
  }

  /**
   * The catalog reads of the access table's row: its actions on the table, and Query on the index the report
   * reads by time. An index is its own IAM resource, `<table ARN>/index/<name>`:
   * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
   */
  private grantReading(table: dynamodb.TableV2, catalog: readonly string[], indexes: boolean): void {
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...catalog], resources: [table.tableArn] }),
    );
    if (indexes && catalog.includes('dynamodb:Query')) {
      this.function.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${table.tableArn}/index/${CATALOG_BY_CLUSTER_TIME_INDEX}`],
        }),
      );
    }
    // The request asset: exactly this deploy's object (the schedule's input names it, and both change together).
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [`${this.requestAsset.bucket.bucketArn}/${this.requestAsset.s3ObjectKey}`],
      }),
    );
  }

  /** PutObject under the configured prefix only: the report names its object by its period, at run time. */
  private grantReportWriting(request: ScheduledReport): void {
    const objects = `arn:${Aws.PARTITION}:s3:::${request.bucket}/${request.prefix}*`;
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }),
    );
    acknowledgeNag(
      this.function.role.node.findChild('DefaultPolicy'),
      `IAM5[Resource::${nagText(this, objects)}]`,
      "Each week's report is a new object named by its period (<prefix><first day>_7d.html): the grant covers PutObject under the configured prefix only.",
    );
  }
}
