import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUSE_BUNDLING, NodeFunction, PROJECT_ROOT } from '#cdk/constructs/node-function.ts';
import { DOCS, rule } from './rules.ts';

const run = promisify(execFile);

/** Imports a bundle as Lambda would, invokes it with a malformed event, and prints the stack it threw. */
const INVOKE = `
const [bundle] = process.argv.slice(1);
const { handler } = await import(bundle);
const context = {
  functionName: 'contract', functionVersion: '1', awsRequestId: 'request-1', memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:contract:1',
  getRemainingTimeInMillis: () => 60000,
};
try {
  await handler({ not: 'a backup state' }, context);
  console.log(JSON.stringify({ stack: null }));
} catch (error) {
  console.log(JSON.stringify({ stack: error.stack }));
}
`;

let outdir: string;
let bundle: string;
let environment: Record<string, string>;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'sr-backup-contract-bundle-'));
  // The runtime provides @aws-sdk/*; here the project's copy plays that part.
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(outdir, 'node_modules'));
  const app = new App({ outdir: join(outdir, 'assembly'), builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'ContractBundle');
  const fn = new NodeFunction(stack, 'CheckBackup', {
    lambdaFolder: 'CheckBackup',
    description: 'check-backup',
    environment: {},
    timeout: Duration.seconds(60),
    logRemovalPolicy: RemovalPolicy.DESTROY,
  });
  const assembly = app.synth();
  const resource = (
    assembly.getStackByName('ContractBundle').template.Resources as Record<
      string,
      { Properties: { Code?: { S3Key?: string }; Environment?: { Variables: Record<string, string> } } }
    >
  )[stack.getLogicalId(fn.function.node.defaultChild as CfnElement)];
  const key = String(resource?.Properties.Code?.S3Key).replace(/\.zip$/, '');
  bundle = join(assembly.directory, `asset.${key}`, 'index.mjs');
  environment = resource?.Properties.Environment?.Variables ?? {};
}, 120_000);

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe(
  rule(
    'Node.js applies source maps to stack traces only with --enable-source-maps and a sourceMappingURL comment in the bundle; SourceMapMode.EXTERNAL omits that comment',
    DOCS.cdkSourceMapMode,
    'https://nodejs.org/api/cli.html#--enable-source-maps',
  ),
  () => {
    it('names the TypeScript file and line of a throw in a bundled handler run as Lambda runs it', async () => {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', INVOKE, bundle], {
        env: {
          PATH: process.env.PATH ?? '',
          ...environment,
          AWS_LAMBDA_FUNCTION_NAME: 'contract',
          AWS_REGION: 'us-east-1',
          LOCKS_TABLE_NAME: 'locks',
          CATALOG_TABLE_NAME: 'catalog',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          POWERTOOLS_LOG_LEVEL: 'CRITICAL',
        },
      });
      const line = stdout
        .trim()
        .split('\n')
        .filter((text) => text.startsWith('{"stack"'))
        .at(-1);
      const { stack } = JSON.parse(line ?? '{"stack":null}') as { stack: string | null };
      expect(environment.NODE_OPTIONS).toContain('--enable-source-maps');
      expect(stack).toMatch(/lambdas\/[\w/-]+\.ts:\d+:\d+/);
    });

    it('ships the source map next to the bundle, so no bundle carries it inline', () => {
      expect(readFileSync(`${bundle}.map`, 'utf8').length).toBeGreaterThan(0);
      expect(readFileSync(bundle, 'utf8')).not.toContain('sourceMappingURL=data:');
    });
  },
);

describe(
  rule(
    'The Node.js runtime ships an AWS SDK for JavaScript v3 that may change without notice and whose version the Lambda docs do not fix per runtime: CI pins one SDK, keeps it external (bundle size), and docs/deploy.md states the gap',
    DOCS.lambdaNodejs,
    DOCS.lambdaLayersSdkLock,
    DOCS.lambdaBestPractices,
  ),
  () => {
    const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };

    it('pins every @aws-sdk/* dependency to an exact version', () => {
      const loose = Object.entries(packageJson.dependencies).filter(
        ([name, version]) => name.startsWith('@aws-sdk/') && !/^\d+\.\d+\.\d+$/.test(version),
      );
      expect(loose).toEqual([]);
    });

    it('resolves every client to one @aws-sdk/core', () => {
      const cores = new Set(
        Object.entries(lock.packages)
          .filter(([path]) => path.endsWith('node_modules/@aws-sdk/core'))
          .map(([, entry]) => entry.version),
      );
      expect(cores.size).toBe(1);
    });

    it('leaves the SDK to the runtime, so bundles stay within 1 MB', () => {
      expect(HOUSE_BUNDLING.externalModules).toContain('@aws-sdk/*');
    });

    it('says in docs/deploy.md which SDK production runs and how to lock it', () => {
      const deploy = readFileSync(join(PROJECT_ROOT, 'docs/deploy.md'), 'utf8');
      expect(deploy).toMatch(/AWS SDK/);
      expect(deploy).toContain(DOCS.lambdaNodejs);
      expect(deploy).toMatch(/runtime version/i);
    });
  },
);
