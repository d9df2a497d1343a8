/**
 * The production contract: each `describe` names one rule a real AWS account enforces and the AWS documentation
 * page it comes from. A test here synthesizes the template, reads the ASL files or runs a bundle, and fails when the
 * rule is broken, so a class of defect that only shows up after `cdk deploy` stays closed.
 */

/** A rule and where AWS documents it (`UNVERIFIED` marks a fact the cited page was not confirmed to state). */
export function rule(text: string, ...sources: readonly string[]): string {
  return `${text} [${sources.join(' ; ')}]`;
}

/**
 * AWS documentation pages cited by the contract tests. Found in the documentation search when this suite was
 * written: snsTopicPolicy, cloudWatchAlarmSns, stepFunctionsMetrics (the page; the wording on ExecutionTime is
 * UNVERIFIED), updateStateMachine (its text, through the SDK references), lambdaNodejs, lambdaLayersSdkLock,
 * lambdaBestPractices, cdkSourceMapMode (and the enum's text in aws-cdk-lib); for issue 14 §2–§3:
 * stepFunctionsErrorNames (States.ALL catches neither States.DataLimitExceeded nor States.Runtime; the payload cases
 * that raise the former), lambdaServiceExceptions (the four recommended Lambda errors; Lambda.Unknown for unhandled
 * errors such as timeouts and out-of-memory; Lambda.TooManyRequestsException), lambdaExecutionEnvironment (the Init
 * phase is limited to 10 s), lambdaInvocationTroubleshooting (Sandbox.Timedout, for a timeout in the Init phase; for
 * the invoke phase UNVERIFIED), stepFunctionsTaskTimeouts (Task TimeoutSeconds), and stepFunctionsQuotas (the page;
 * its 256 KiB row was not in the excerpt, the 262,144-byte limit on a state's input and output was, on the API's
 * StateEnteredEventDetails and StateExitedEventDetails). The others are cited from the AWS documentation's structure
 * and are UNVERIFIED. For issue 15 §3 (the schedule sync): schedulerQuotas (the page and its per-operation request
 * rates: 1,000 or 5,000 per second in the larger Regions and 250 elsewhere today, 50 in an earlier version),
 * schedulerUpdateSchedule (UpdateSchedule resets every field the request leaves out), schedulerGetSchedule (names and
 * group names: `^[0-9a-zA-Z-_.]+$`, at most 64 characters), schedulerListSchedules (MaxResults at most 100,
 * NextToken), customResourceResponses (a body of at most 4,096 bytes; a changed PhysicalResourceId makes
 * CloudFormation delete the old resource), customResourceProtocol (ServiceTimeout 1 to 3,600 s, default 3,600; no
 * answer in time fails the operation), lambdaQuotas (15 minutes per invocation), metricsInsightsAlarms and
 * alarmLimits (alarms on a Metrics Insights query; 200 such alarms per account and Region by default; the latest 3
 * hours evaluated), schedulerIam (CreateSchedule needs iam:PassRole with iam:PassedToService
 * scheduler.amazonaws.com). UNVERIFIED there: the 512-character Description limit, whether ListSchedules honours a
 * group-scoped resource ARN, and CloudFormation's current 500-resource and 1 MB figures (the stored copy of
 * cloudFormationQuotas is an older version).
 */
export const DOCS = {
  snsTopicPolicy:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-sns-policy.html',
  cloudWatchAlarmSns:
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html',
  snsKeyManagement:
    'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services',
  stepFunctionsMetrics:
    'https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html#cloudwatch-step-functions-execution-metrics',
  updateStateMachine:
    'https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateStateMachine.html',
  lambdaVersions: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html',
  lambdaNodejs: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html',
  lambdaLayersSdkLock: 'https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html',
  lambdaBestPractices: 'https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html',
  cdkSourceMapMode:
    'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs.SourceMapMode.html',
  gatewayEndpoints: 'https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html',
  interfaceEndpointDns:
    'https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns',
  kmsViaService:
    'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service',
  secretsManagerEndpoints: 'https://docs.aws.amazon.com/general/latest/gr/asm.html',
  s3RegionRedirects:
    'https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-client-s3/Interface/S3ClientConfig/',
  stepFunctionsQuotas: 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html',
  stepFunctionsErrorNames:
    'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-error-representation',
  lambdaServiceExceptions:
    'https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html',
  lambdaInvocationTroubleshooting:
    'https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html#troubleshooting-timeouts',
  lambdaExecutionEnvironment: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html',
  stepFunctionsTaskTimeouts: 'https://docs.aws.amazon.com/step-functions/latest/dg/sfn-stuck-execution.html',
  schedulerQuotas: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html',
  schedulerUpdateSchedule:
    'https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html',
  schedulerCreateSchedule:
    'https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html',
  schedulerGetSchedule: 'https://docs.aws.amazon.com/scheduler/latest/APIReference/API_GetSchedule.html',
  schedulerListSchedules: 'https://docs.aws.amazon.com/scheduler/latest/APIReference/API_ListSchedules.html',
  schedulerIam:
    'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgescheduler.html',
  customResourceResponses:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html',
  customResourceProtocol: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref.html',
  lambdaQuotas: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
  cloudFormationQuotas:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html',
  metricsInsightsAlarms:
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html',
  alarmLimits: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html',
} as const;
