import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { onRuntimeReset, runtimeEnv, runtimeOverrides } from './context.ts';
import { createSecretResolver, type SecretResolver } from './secrets.ts';

let resolver: SecretResolver | undefined;
const regionalClients = new Map<string, SecretsManagerClient>();

onRuntimeReset(() => {
  resolver = undefined;
  for (const client of regionalClients.values()) client.destroy();
  regionalClients.clear();
});

/** One client per Region a secret ARN names, built on first use and kept for the cold start. */
function clientForRegion(region: string): SecretsManagerClient {
  let client = regionalClients.get(region);
  if (client === undefined) {
    client = new SecretsManagerClient({ region });
    regionalClients.set(region, client);
  }
  return client;
}

/**
 * The secret resolver: Secrets Manager deployed (cached per cold start; each secret read in the Region its ARN
 * names), environment variables locally.
 */
export function secrets(): SecretResolver {
  resolver ??=
    runtimeEnv().secretsMode === 'aws'
      ? createSecretResolver({ mode: 'aws', client: new SecretsManagerClient({}), clientForRegion })
      : createSecretResolver({ mode: 'env', env: runtimeOverrides().secretEnv ?? process.env });
  return resolver;
}
