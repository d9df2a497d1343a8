import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { BackupConfigInput } from '#domain/config/index.ts';
import { ConfigError } from '#domain/errors.ts';
import { configFrom, synthStack } from './support.ts';

type ClusterInput = BackupConfigInput['clusters'][number];

function cluster(overrides: Partial<ClusterInput>): ClusterInput {
  return { name: 'prod', host: 'fe.internal', repository: 'repo', ...overrides };
}

function synthError(config: BackupConfigInput): Error {
  try {
    synthStack({ config: configFrom(config) });
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the synth to fail');
}

describe('FE connection checks at synth', () => {
  it('refuses a statement timeout that could outlast the FE-facing functions, naming the cluster and the numbers', () => {
    const error = synthError({
      clusters: [cluster({}), cluster({ name: 'slow', statementTimeoutSeconds: 900 })],
    });

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      expect.stringMatching(
        /^clusters\[1\]\.statementTimeoutSeconds: cluster slow: connectTimeoutSeconds \+ statementTimeoutSeconds \(10 \+ 900 = 910 s\) leave less than 10 s of the FE-facing function timeout \(\d+ s\)/,
      ),
    ]);
  });

  it('accepts timeouts that fit the functions', () => {
    const { template } = synthStack({
      config: configFrom({ clusters: [cluster({ connectTimeoutSeconds: 5, statementTimeoutSeconds: 30 })] }),
    });
    expect(Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).length).toBeGreaterThan(0);
  });

  it('warns about a cluster that connects in plaintext, and about an unverified certificate', () => {
    const { stack } = synthStack({
      config: configFrom({
        clusters: [
          cluster({ tls: false }),
          cluster({ name: 'lax', tls: { rejectUnauthorized: false } }),
          cluster({ name: 'strict', tls: true }),
        ],
      }),
    });
    const warnings = (pattern: string) =>
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(pattern));

    expect(
      warnings('clusters\\[0\\]\\.tls \\(prod\\): connects to fe\\.internal:9030 in plaintext'),
    ).toHaveLength(1);
    expect(warnings('clusters\\[1\\]\\.tls\\.rejectUnauthorized \\(lax\\): is false')).toHaveLength(1);
    expect(warnings('\\(strict\\)')).toHaveLength(0);
  });
});
