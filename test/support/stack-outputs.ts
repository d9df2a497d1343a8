import type { DescribeStacksCommandOutput } from '@aws-sdk/client-cloudformation';

/** What CloudFormation DescribeStacks answers for a deployed stack with these outputs (for aws-sdk-client-mock). */
export function describeStacksAnswer(
  stackName: string,
  outputs: Readonly<Record<string, string>>,
  createdAt: number,
): Partial<DescribeStacksCommandOutput> {
  return {
    Stacks: [
      {
        StackName: stackName,
        CreationTime: new Date(createdAt),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  };
}
