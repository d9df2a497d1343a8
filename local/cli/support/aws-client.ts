/** How the CLI's own AWS clients behave: a person is waiting, so every call has a bound. */

/** Options for an AWS SDK client the CLI builds (Step Functions, CloudWatch Logs): few retries, timeouts. */
export function cliAwsClientOptions(region: string | undefined): {
  region?: string;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
} {
  return {
    ...(region === undefined ? {} : { region }),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  };
}

const EXECUTION_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):execution:([^:]+):([^:]+)$/;

/** The parts of a Step Functions execution ARN, or undefined when `text` is none. */
export function parseExecutionArn(
  text: string,
): { partition: string; region: string; account: string; stateMachine: string; name: string } | undefined {
  const match = EXECUTION_ARN.exec(text.trim());
  if (!match) return undefined;
  const [, partition = '', region = '', account = '', stateMachine = '', name = ''] = match;
  return { partition, region, account, stateMachine, name };
}
