/**
 * The deployed Lambdas' environment, parsed once into a typed object. Importing this module reads nothing; the AWS
 * runtime (aws/env.ts) calls {@link parseEnv} on first use. The config itself never comes from here (4 KB limit): it
 * travels in the execution input.
 */
import { configErrorMap, flattenIssues, formatIssue } from '#domain/config/issues.ts';
import { SECRET_ARN_PATTERN } from '#domain/config/schema.ts';
import { ConfigError } from '#domain/errors.ts';
import { z } from '#domain/zod.ts';

/** Environment variables, as `process.env` holds them. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** The typed environment of a deployed function (the CDK construct sets these variables). */
export interface RuntimeEnv {
  /** `LOCKS_TABLE_NAME`: the DynamoDB table of locks and slots. */
  readonly locksTableName: string;
  /** `CATALOG_TABLE_NAME`: the DynamoDB snapshot catalog. */
  readonly catalogTableName: string;
  /** `SLACK_WEBHOOK_SECRET_ARN`: where the Slack webhook URL is kept; unset means no Slack. */
  readonly slackWebhookSecretArn?: string;
}

// Built on the first parse, not at import: a schema costs init time every function pays.
function envSchema() {
  // Unset and empty are the same to a shell, to CDK and to us.
  const optional = <T extends z.ZodType>(schema: T) =>
    z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
  return z.object({
    LOCKS_TABLE_NAME: z.string().min(1),
    CATALOG_TABLE_NAME: z.string().min(1),
    SLACK_WEBHOOK_SECRET_ARN: optional(
      z
        .string()
        .regex(SECRET_ARN_PATTERN, { error: 'must be a Secrets Manager secret ARN, not the URL itself' }),
    ),
  });
}

/** Parses the environment; throws `ConfigError` naming every missing or malformed variable. */
export function parseEnv(env: EnvironmentVariables): RuntimeEnv {
  const result = envSchema().safeParse(env, { error: configErrorMap });
  if (!result.success) {
    const issues = flattenIssues(result.error.issues, () => []).map(formatIssue);
    throw new ConfigError(`Invalid environment:\n  - ${issues.join('\n  - ')}`, issues);
  }
  const parsed = result.data;
  return {
    locksTableName: parsed.LOCKS_TABLE_NAME,
    catalogTableName: parsed.CATALOG_TABLE_NAME,
    ...(parsed.SLACK_WEBHOOK_SECRET_ARN === undefined
      ? {}
      : { slackWebhookSecretArn: parsed.SLACK_WEBHOOK_SECRET_ARN }),
  };
}
