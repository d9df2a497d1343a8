/**
 * The Lambdas' environment, parsed once at cold start into a typed object. Importing this module reads nothing;
 * call `parseEnv()` from the handler's module scope. The config itself never comes from here (4 KB limit):
 * it travels in the execution input.
 */

import { configErrorMap, flattenIssues, formatIssue } from '#domain/config/issues.ts';
import { SECRET_ARN_PATTERN } from '#domain/config/schema.ts';
import { ConfigError } from '#domain/errors.ts';
import { z } from '#domain/zod.ts';

/** Environment variables, as `process.env` holds them. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

// Unset and empty are the same to a shell, to CDK and to us.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const httpUrl = z.string().refine(
  (text) => {
    try {
      return ['http:', 'https:'].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  },
  { error: 'must be an http(s) URL, e.g. http://127.0.0.1:8000' },
);

const envSchema = z.object({
  LOCKS_TABLE_NAME: z.string().min(1),
  CATALOG_TABLE_NAME: z.string().min(1),
  SECRETS_MODE: optional(z.enum(['aws', 'env'])),
  AWS_LAMBDA_FUNCTION_NAME: optional(z.string()),
  DYNAMODB_ENDPOINT: optional(httpUrl),
  STATE_MACHINE_ARN: optional(
    z.string().regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/, {
      error:
        'must be a Step Functions state machine ARN (arn:<partition>:states:<region>:<account>:stateMachine:<name>)',
    }),
  ),
  SLACK_WEBHOOK_SECRET_ARN: optional(
    z
      .string()
      .regex(SECRET_ARN_PATTERN, { error: 'must be a Secrets Manager secret ARN, not the URL itself' }),
  ),
});

/** The typed environment of a Lambda (or of the local runner, which sets the same variables). */
export interface RuntimeEnv {
  /** `LOCKS_TABLE_NAME`: the DynamoDB table of locks and slots. */
  readonly locksTableName: string;
  /** `CATALOG_TABLE_NAME`: the DynamoDB snapshot catalog. */
  readonly catalogTableName: string;
  /** `SECRETS_MODE`: `aws` (Secrets Manager) by default inside Lambda, else `env`. */
  readonly secretsMode: 'aws' | 'env';
  /** `DYNAMODB_ENDPOINT`: a local DynamoDB-compatible endpoint (dynalite); unset on AWS. */
  readonly dynamodbEndpoint?: string;
  /** `STATE_MACHINE_ARN`: the state machine this function works for, when it needs one. */
  readonly stateMachineArn?: string;
  /** `SLACK_WEBHOOK_SECRET_ARN`: where the Slack webhook URL is kept; unset means no Slack. */
  readonly slackWebhookSecretArn?: string;
}

/** Parses the environment; throws `ConfigError` naming every missing or malformed variable. */
export function parseEnv(env: EnvironmentVariables = process.env): RuntimeEnv {
  const result = envSchema.safeParse(env, { error: configErrorMap });
  if (!result.success) {
    const issues = flattenIssues(result.error.issues, () => []).map(formatIssue);
    throw new ConfigError(`Invalid environment:\n  - ${issues.join('\n  - ')}`, issues);
  }
  const parsed = result.data;
  const insideLambda = parsed.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  return {
    locksTableName: parsed.LOCKS_TABLE_NAME,
    catalogTableName: parsed.CATALOG_TABLE_NAME,
    secretsMode: parsed.SECRETS_MODE ?? (insideLambda ? 'aws' : 'env'),
    ...(parsed.DYNAMODB_ENDPOINT === undefined ? {} : { dynamodbEndpoint: parsed.DYNAMODB_ENDPOINT }),
    ...(parsed.STATE_MACHINE_ARN === undefined ? {} : { stateMachineArn: parsed.STATE_MACHINE_ARN }),
    ...(parsed.SLACK_WEBHOOK_SECRET_ARN === undefined
      ? {}
      : { slackWebhookSecretArn: parsed.SLACK_WEBHOOK_SECRET_ARN }),
  };
}
