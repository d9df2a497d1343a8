/** Links from an alert to the Step Functions console, so the reader lands on the failed execution. */

const EXECUTION_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):states:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:execution:[^:\s]+:[^:\s]+$/;

/** The console host of each partition. */
const CONSOLE_HOST: Readonly<Record<string, (region: string) => string>> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-cn': (region) => `${region}.console.amazonaws.cn`,
  'aws-us-gov': (region) => `${region}.console.amazonaws-us-gov.com`,
};

/**
 * The console page of a state machine execution, e.g.
 * `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/<arn>`,
 * or `undefined` when `executionArn` is not a Step Functions execution ARN (a local run has none).
 */
export function executionConsoleUrl(executionArn: string | undefined): string | undefined {
  if (executionArn === undefined) return undefined;
  const match = EXECUTION_ARN.exec(executionArn);
  const partition = match?.[1];
  const region = match?.[2];
  if (partition === undefined || region === undefined) return undefined;
  const host = CONSOLE_HOST[partition]?.(region);
  if (host === undefined) return undefined;
  return `https://${host}/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}
