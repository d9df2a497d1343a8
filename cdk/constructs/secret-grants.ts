import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { secretArnRegion } from '../../lambdas/shared/secrets.ts';

/**
 * GetSecretValue on exactly `arns`, and kms:Decrypt through Secrets Manager only on `keys` (customer-managed keys
 * of those secrets). An ARN copied without Secrets Manager's random `-XXXXXX` suffix matches the secret only with
 * the `-??????` wildcard; a complete ARN matches itself. Both forms are granted, because a name can end in six
 * characters after a dash either way. Secrets Manager calls KMS from the secret's own Region, so kms:ViaService names
 * `secretsmanager.<that Region>.amazonaws.com` for each Region the ARNs name (the functions read a secret there too).
 */
export function grantSecretsRead(role: iam.IRole, arns: readonly string[], keys: readonly kms.IKey[]): void {
  if (arns.length === 0) return;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: arns.flatMap((arn) => [arn, `${arn}-??????`]),
    }),
  );
  if (keys.length === 0) return;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: keys.map((key) => key.keyArn),
      conditions: { StringEquals: { 'kms:ViaService': viaServices(arns) } },
    }),
  );
}

function viaServices(arns: readonly string[]): string | string[] {
  const services = [
    ...new Set(arns.map((arn) => `secretsmanager.${secretArnRegion(arn) ?? Aws.REGION}.amazonaws.com`)),
  ];
  return services.length === 1 ? (services[0] as string) : services;
}
