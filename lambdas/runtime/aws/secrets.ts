import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSecretsManagerResolver, type SecretsManagerResolver } from '../secrets.ts';
import { traced } from '../tracer.ts';

let resolver: SecretsManagerResolver | undefined;

/**
 * The secrets of a deployed function: Secrets Manager, each secret read in the Region its ARN names, through one
 * traced client per Region.
 */
export function awsSecrets(): SecretsManagerResolver {
  resolver ??= createSecretsManagerResolver((region) =>
    traced(new SecretsManagerClient(region === undefined ? {} : { region })),
  );
  return resolver;
}
