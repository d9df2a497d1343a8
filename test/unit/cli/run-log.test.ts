// The local run log: each line in its run's file by the invocation's async context, INFO kept whatever stderr shows.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRunLog, runLogPath, withInvocationRun } from '#local/runtime/run-log.ts';
import { stderrLogger } from '#local/runtime/stderr-logger.ts';

const RUN_A = 'arn:aws:states:local-1:000000000000:execution:nightlyBackup:a';
const RUN_B = 'arn:aws:states:local-1:000000000000:execution:nightlyBackup:b';

async function messages(path: string): Promise<{ message: string; runId: string }[]> {
  return (await readFile(path, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((text) => JSON.parse(text) as { message: string; runId: string });
}

describe('the local run log', () => {
  const saved = process.env.POWERTOOLS_LOG_LEVEL;
  let dir: string | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    if (saved === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = saved;
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('files each line under the run of its invocation, even when the shared logger names another', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'run-log-'));
    const runLog = createRunLog(dir);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const logger = stderrLogger('submit-backup', runLog);

    // Act: B's invocation set the logger's key last, while A's still logs.
    logger.appendKeys({ runId: RUN_B });
    withInvocationRun(RUN_A, () => logger.info('from a'));
    withInvocationRun(RUN_B, () => logger.info('from b'));
    logger.resetKeys();
    logger.info('outside any run');

    // Assess
    expect(await messages(runLogPath(dir, RUN_A))).toEqual([
      expect.objectContaining({ message: 'from a', runId: RUN_A }),
    ]);
    expect(await messages(runLogPath(dir, RUN_B))).toEqual([
      expect.objectContaining({ message: 'from b', runId: RUN_B }),
    ]);
  });

  it('keeps INFO lines while stderr shows WARN and above only', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'run-log-'));
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const logger = stderrLogger('check-backup', createRunLog(dir));

    // Act
    withInvocationRun(RUN_A, () => {
      logger.info('checked');
      logger.warn('slow');
    });

    // Assess
    expect((await messages(runLogPath(dir, RUN_A))).map((entry) => entry.message)).toEqual([
      'checked',
      'slow',
    ]);
    const printed = stderr.mock.calls.map(
      (call) => (JSON.parse(String(call[0])) as { message: string }).message,
    );
    expect(printed).toEqual(['slow']);
  });
});
