import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * GetSecretValue on exactly `arns`, and kms:Decrypt through Secrets Manager only on `keys` (customer-managed keys
 * of those secrets). An ARN copied without Secrets Manager's random `-XXXXXX` suffix matches the secret only with
 * the `-??????` wildcard; a complete ARN matches itself. Both forms are granted, because a name can end in six
 * characters after a dash either way.
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
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
    }),
  );
}
