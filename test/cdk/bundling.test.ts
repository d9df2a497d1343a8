import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeFunction, PROJECT_ROOT } from '#cdk/constructs/node-function.ts';
import { systemClock } from '#domain/clock.ts';
import { toClusterSettings } from '#domain/config/index.ts';
import { createLockStore } from '#domain/lock/index.ts';
import { startTestDynamo, type TestDynamo } from '../support/dynalite.ts';
import { exampleConfig } from './support.ts';

const run = promisify(execFile);

/** Imports a bundle in a fresh Node process (as Lambda would), invokes `handler`, and reports what it threw. */
const INVOKE = `
const [bundle, event] = process.argv.slice(1);
const { handler } = await import(bundle);
const context = {
  functionName: 'bundle-test', functionVersion: '$LATEST', awsRequestId: 'request-1', memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bundle-test',
  getRemainingTimeInMillis: () => 60000,
};
try {
  const result = await handler(JSON.parse(event), context);
  console.log(JSON.stringify({ returned: result }));
} catch (error) {
  // Lambda's Node.js runtime reports error.name as the errorType the ASL's ErrorEquals matches.
  console.log(JSON.stringify({ errorType: error.name, constructorName: error.constructor.name }));
}
`;

let outdir: string;
let dynamo: TestDynamo;
const bundles = new Map<string, string>();

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'sr-backup-bundle-'));
  // The bundle leaves @aws-sdk/* to the runtime; here the project's copy plays that part.
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(outdir, 'node_modules'));
  const app = new App({ outdir: join(outdir, 'assembly'), builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'BundleTest');
  const functions = new Map<string, NodeFunction>();
  for (const folder of ['AcquireLock', 'CheckBackup']) {
    const fn = new NodeFunction(stack, folder, {
      lambdaFolder: folder,
      description: folder,
      environment: {},
      timeout: Duration.seconds(120),
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    functions.set(folder, fn);
  }
  const assembly = app.synth();
  const resources = assembly.getStackByName('BundleTest').template.Resources as Record<
    string,
    { Properties: { Code?: { S3Key?: string } } }
  >;
  for (const [folder, fn] of functions) {
    const key =
      resources[stack.getLogicalId(fn.function.node.defaultChild as CfnElement)]?.Properties.Code?.S3Key;
    bundles.set(folder, join(assembly.directory, `asset.${String(key).replace(/\.zip$/, '')}`, 'index.mjs'));
  }

  dynamo = await startTestDynamo();
  const locks = createLockStore({
    client: dynamo.client,
    tableName: dynamo.locksTableName,
    clock: systemClock,
    livenessOf: async () => 'running',
  });
  await locks.acquireLock({
    cluster: 'prod',
    database: 'sales',
    holder: 'another-run',
    leaseSeconds: 900,
    label: 'x',
  });
}, 60_000);

afterAll(async () => {
  await dynamo?.close();
  rmSync(outdir, { recursive: true, force: true });
});

async function invoke(folder: string, event: unknown): Promise<Record<string, unknown>> {
  const bundle = bundles.get(folder);
  if (bundle === undefined || !existsSync(bundle)) throw new Error(`no bundle for ${folder}`);
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', INVOKE, bundle, JSON.stringify(event)],
    {
      env: {
        PATH: process.env.PATH ?? '',
        AWS_LAMBDA_FUNCTION_NAME: 'bundle-test',
        AWS_REGION: 'us-east-1',
        LOCKS_TABLE_NAME: dynamo.locksTableName,
        CATALOG_TABLE_NAME: dynamo.catalogTableName,
        // The SDK's own endpoint setting: the deployed code has no switch for a local DynamoDB.
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'CRITICAL',
      },
    },
  );
  const line = stdout
    .trim()
    .split('\n')
    .filter((text) => text.startsWith('{"'))
    .at(-1);
  if (line === undefined) throw new Error(`no result from ${folder}: ${stdout}`);
  return JSON.parse(line) as Record<string, unknown>;
}

const state = {
  runId: 'arn:aws:states:us-east-1:123456789012:execution:NightlyBackup:run-1',
  cluster: toClusterSettings(exampleConfig(), 'prod'),
  schedule: 'nightly',
  scheduledTime: '2026-11-24T18:00:00.000Z',
  database: 'sales',
  label: 'nightly_sales_20261124T1800Z_3f9a1c',
  execution: {
    id: 'arn:aws:states:us-east-1:123456789012:execution:BackupDatabase:sales-1',
    name: 'sales-1',
  },
};

describe('a handler bundled as the stack bundles it', () => {
  it('reports the typed error class name as the error type (LockHeldError for a lock held by a live run)', async () => {
    expect(await invoke('AcquireLock', state)).toEqual({
      errorType: 'LockHeldError',
      constructorName: 'LockHeldError',
    });
  });

  it('loads mysql2 under ESM and rejects a malformed event with InvalidInputError', async () => {
    expect(await invoke('CheckBackup', { runId: 'run-1' })).toEqual({
      errorType: 'InvalidInputError',
      constructorName: 'InvalidInputError',
    });
  });
});
