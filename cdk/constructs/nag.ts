import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag AwsSolutions finding on one construct, with the reason it is acceptable.
 * cdk-nag 3 matches findings one by one (`AwsSolutions-IAM5[Resource::*]`), never by prefix.
 */
export function acknowledgeNag(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${finding}`, reason });
}

/**
 * A (possibly token-bearing) string as cdk-nag names it in finding ids: Ref as `<Id>`, Fn::GetAtt as
 * `<Id.Attribute>`, Fn::Join joined, Fn::Sub's `${…}` as `<…>`, literal text unchanged. So an acknowledgement is written once and stays
 * right whether the stack is environment-agnostic (`<AWS::Region>`) or pinned to a region.
 */
export function nagText(scope: IConstruct, value: string): string {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    const object = node as Record<string, unknown>;
    if (Array.isArray(object['Fn::Join'])) {
      const [delimiter, items] = object['Fn::Join'] as [string, unknown[]];
      return items.map(visit).join(delimiter);
    }
    if (Array.isArray(object['Fn::GetAtt'])) {
      const [resource, attribute] = object['Fn::GetAtt'] as [unknown, unknown];
      return `<${visit(resource)}.${visit(attribute)}>`;
    }
    if (object.Ref !== undefined) return `<${visit(object.Ref)}>`;
    // A pseudo-parameter template (the bootstrap bucket's name): `${AWS::Region}` reads `<AWS::Region>`.
    if (typeof object['Fn::Sub'] === 'string') return visit(object['Fn::Sub']);
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
}
