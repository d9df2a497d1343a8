import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG_TABLE, toCreateTableInput } from '#domain/tables.ts';
import {
  createDocumentClient,
  type EmbeddedDynamo,
  ensureTables,
  StateDirBusyError,
  startEmbeddedDynamo,
  TableSchemaMismatchError,
} from '#local/dynamo/index.ts';

const tables = { locksTableName: 'locks', catalogTableName: 'catalog' };

let stateDir: string;
const opened: EmbeddedDynamo[] = [];
const children: ChildProcess[] = [];

async function start(options: { stateDir?: string } = {}): Promise<EmbeddedDynamo> {
  const dynamo = await startEmbeddedDynamo(options);
  opened.push(dynamo);
  return dynamo;
}

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sr-backup-dynamo-'));
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.stdin?.end();
      await once(child, 'exit');
    }
  }
  await Promise.all(opened.splice(0).map((dynamo) => dynamo.close()));
  await rm(stateDir, { recursive: true, force: true });
});

describe('embedded dynamo', () => {
  it('starts in memory on a free port of 127.0.0.1 and answers without AWS settings', async () => {
    // Prepare
    const dynamo = await start();
    const client = createDocumentClient(dynamo.endpoint);

    // Act
    await ensureTables({ client, ...tables });
    const listed = await client.send(new ListTablesCommand({}));

    // Assess
    expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dynamo.dataDir).toBeNull();
    expect(listed.TableNames).toEqual(['catalog', 'locks']);
    client.destroy();
  });

  it('keeps the data of a persisted state directory across close and reopen', async () => {
    // Prepare
    const first = await start({ stateDir });
    const writer = createDocumentClient(first.endpoint);
    await ensureTables({ client: writer, ...tables });
    await writer.send(
      new PutCommand({ TableName: 'locks', Item: { pk: 'cluster#prod', sk: 'lock#sales', token: 7 } }),
    );
    writer.destroy();
    await first.close();

    // Act
    const second = await start({ stateDir });
    const reader = createDocumentClient(second.endpoint);
    await ensureTables({ client: reader, ...tables });
    const read = await reader.send(
      new GetCommand({
        TableName: 'locks',
        Key: { pk: 'cluster#prod', sk: 'lock#sales' },
        ConsistentRead: true,
      }),
    );

    // Assess
    expect(second.dataDir).toBe(join(stateDir, 'dynamodb'));
    expect(read.Item).toMatchObject({ token: 7 });
    reader.destroy();
  });

  it('refuses a second open of the same state directory in this process with StateDirBusyError', async () => {
    // Prepare
    await start({ stateDir });

    // Act
    const second = startEmbeddedDynamo({ stateDir });

    // Assess
    await expect(second).rejects.toBeInstanceOf(StateDirBusyError);
    await expect(second).rejects.toThrow(
      /another sr-backup run is using .*; wait for it or pass --state-dir/,
    );
  });

  it('refuses a state directory another process uses, and opens it once that process has ended', async () => {
    // Prepare
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./fixtures/hold-state-dir.ts', import.meta.url)), stateDir],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    children.push(child);
    const [firstLine] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    expect(firstLine.toString()).toMatch(/^ready http/);

    // Act
    const whileHeld = await startEmbeddedDynamo({ stateDir }).then(
      () => undefined,
      (error: unknown) => error,
    );
    child.stdin?.end();
    await once(child, 'exit');
    const afterExit = await start({ stateDir });

    // Assess
    expect(whileHeld).toBeInstanceOf(StateDirBusyError);
    expect((whileHeld as StateDirBusyError).stateDir).toBe(stateDir);
    expect(afterExit.dataDir).toBe(join(stateDir, 'dynamodb'));
  });

  it('creates the tables once when two runs ensure them at the same time', async () => {
    // Prepare
    const dynamo = await start();
    const clients = [createDocumentClient(dynamo.endpoint), createDocumentClient(dynamo.endpoint)];

    // Act
    await Promise.all(clients.map((client) => ensureTables({ client, ...tables })));
    const described = await clients[0]?.send(new DescribeTableCommand({ TableName: 'catalog' }));

    // Assess
    expect(described?.Table?.TableStatus).toBe('ACTIVE');
    expect(described?.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(
      described?.Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus]),
    ).toEqual(CATALOG_TABLE.globalSecondaryIndexes.map((index) => [index.indexName, 'ACTIVE']));
    for (const client of clients) client.destroy();
  });

  it('refuses an existing table whose keys differ from the shared definition', async () => {
    // Prepare
    const dynamo = await start();
    const client = createDocumentClient(dynamo.endpoint);
    const wrong = toCreateTableInput({ ...CATALOG_TABLE, globalSecondaryIndexes: [] }, 'catalog');
    await client.send(new CreateTableCommand(wrong));

    // Act
    const ensured = ensureTables({ client, ...tables });

    // Assess
    await expect(ensured).rejects.toBeInstanceOf(TableSchemaMismatchError);
    await expect(ensured).rejects.toThrow(/index byClusterTime is missing/);
    client.destroy();
  });
});
