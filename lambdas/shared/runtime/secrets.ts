import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSecretResolver, type SecretResolver } from '../secrets.ts';
import { onRuntimeReset, runtimeEnv, runtimeOverrides } from './context.ts';

let resolver: SecretResolver | undefined;

onRuntimeReset(() => {
  resolver = undefined;
});

/** The secret resolver: Secrets Manager deployed (cached per cold start), environment variables locally. */
export function secrets(): SecretResolver {
  resolver ??=
    runtimeEnv().secretsMode === 'aws'
      ? createSecretResolver({ mode: 'aws', client: new SecretsManagerClient({}) })
      : createSecretResolver({ mode: 'env', env: runtimeOverrides().secretEnv ?? process.env });
  return resolver;
}
