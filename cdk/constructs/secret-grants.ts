import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { secretArnRegion } from '#domain/secrets.ts';
import { acknowledgeNag, nagText } from './nag.ts';

/**
 * Up to this many secrets are granted one by one. Beyond it the ARNs would outgrow IAM's policy size (each role's
 * inline policies share 10,240 characters; CDK moves the excess into managed policies, one more resource each, and
 * a role takes at most 20 of them), so they are granted by the narrowest name prefix that covers them.
 */
export const MAX_SECRETS_GRANTED_ONE_BY_ONE = 20;

/** The Resource entries that grant GetSecretValue on `arns`, and whether they name the secrets one by one. */
export function secretResources(arns: readonly string[]): {
  readonly resources: string[];
  readonly exact: boolean;
} {
  const distinct = [...new Set(arns)];
  if (distinct.length <= MAX_SECRETS_GRANTED_ONE_BY_ONE) {
    // An ARN copied without Secrets Manager's random `-XXXXXX` suffix matches the secret only with `-??????`.
    return { resources: distinct.flatMap((arn) => [arn, `${arn}-??????`]), exact: true };
  }
  const byLocation = new Map<string, string[]>();
  for (const arn of distinct) {
    const at = arn.indexOf(':secret:');
    const location = at < 0 ? '' : arn.slice(0, at + ':secret:'.length);
    byLocation.set(location, [...(byLocation.get(location) ?? []), arn.slice(location.length)]);
  }
  const resources = [...byLocation].map(([location, names]) => `${location}${commonPrefix(names)}*`);
  return { resources: resources.sort(), exact: false };
}

function commonPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? '';
  for (const name of names) {
    while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

/**
 * GetSecretValue on exactly `arns` (or, past {@link MAX_SECRETS_GRANTED_ONE_BY_ONE} secrets, on the name prefix
 * they share), and kms:Decrypt through Secrets Manager only on `keys` (customer-managed keys of those secrets).
 * Secrets Manager calls KMS from the secret's own Region, so kms:ViaService names
 * `secretsmanager.<that Region>.amazonaws.com` for each Region the ARNs name (the functions read a secret there too).
 */
export function grantSecretsRead(role: iam.IRole, arns: readonly string[], keys: readonly kms.IKey[]): void {
  if (arns.length === 0) return;
  const { resources, exact } = secretResources(arns);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources }),
  );
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!exact && policy !== undefined) {
    for (const pattern of resources) {
      acknowledgeNag(
        policy,
        `IAM5[Resource::${nagText(Stack.of(role), pattern)}]`,
        `More than ${MAX_SECRETS_GRANTED_ONE_BY_ONE} password secrets would outgrow IAM's policy size one by one; the pattern is the longest name prefix they share (the synth warns with it).`,
      );
    }
  }
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
