// What RecordResult and RecordDrill emit for the dashboard's size and drill widgets, as EMF on stdout.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emitBackupOutcome, emitDrillFigures } from '#test/support/emitted-metrics.ts';

/** The metric values of every EMF document `emit` writes. */
function emitted(emit: () => void): Array<Record<string, unknown>> {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  emit();
  vi.restoreAllMocks();
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('backup size', () => {
  it('is emitted in bytes, per cluster, for a verified FINISHED backup', () => {
    const [document] = emitted(() =>
      emitBackupOutcome({ cluster: 'prod', state: 'FINISHED', durationSeconds: 60, sizeBytes: 4096 }),
    );
    expect(document).toMatchObject({ BackupSizeBytes: 4096, Cluster: 'prod' });
  });

  it('is not emitted without a size', () => {
    const [document] = emitted(() =>
      emitBackupOutcome({ cluster: 'prod', state: 'FAILED', durationSeconds: null, sizeBytes: null }),
    );
    expect(document).not.toHaveProperty('BackupSizeBytes');
  });
});

describe('drill restore time', () => {
  it('is emitted in seconds, per cluster, for a measured restore', () => {
    const [document] = emitted(() => emitDrillFigures({ cluster: 'prod', durationSeconds: 1440 }));
    expect(document).toMatchObject({ DrillRestoreSeconds: 1440, Cluster: 'prod' });
  });

  it('is emitted apart for a chain restore (full + differential), so the two times are never mixed', () => {
    const [document] = emitted(() =>
      emitDrillFigures({ cluster: 'prod', durationSeconds: 1800, pointKind: 'chain' }),
    );
    expect(document).toMatchObject({ DrillChainRestoreSeconds: 1800, Cluster: 'prod' });
    expect(document).not.toHaveProperty('DrillRestoreSeconds');
  });

  it('is not emitted when the restore was not measured', () => {
    expect(emitted(() => emitDrillFigures({ cluster: 'prod', durationSeconds: null }))).toEqual([]);
  });
});
