import type { CatalogStore } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { BackupOutcomeFigures } from '#domain/metrics.ts';
import { decideOutcome } from '#domain/workflow/decide-outcome.ts';
import { heldLock } from '#domain/workflow/leases.ts';
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';
import type { BackupDatabaseState } from '#domain/workflow/workflow-state.ts';

/** What RecordResult needs. */
export interface RecordResultDeps {
  readonly catalog: Pick<CatalogStore, 'recordAttempt' | 'markUnchangedThrough'>;
  readonly locks: Pick<LockStore, 'renewLock'>;
  readonly clock: Clock;
  /** Publishes the outcome as CloudWatch metrics (deployed); absent locally. */
  readonly emitOutcome?: ((outcome: BackupOutcomeFigures) => void) | undefined;
}

/** `$.record`: what the catalog now holds for this attempt. */
export interface RecordedResult {
  readonly state: BackupOutcomeState;
  readonly reason: string | null;
  readonly label: string;
}

/**
 * Writes this attempt's one terminal catalog item (idempotent: a retried write leaves one item). Fenced by the
 * lock token (not its expiry): an execution whose lock was taken over records nothing, because the new holder
 * owns the outcome.
 */
export async function recordResult(
  state: BackupDatabaseState,
  deps: RecordResultDeps,
): Promise<RecordedResult> {
  const outcome = decideOutcome(state);
  const lock = heldLock(state);
  if (lock && outcome.state !== 'SKIPPED')
    await deps.locks.renewLock({ ...lock, extendSeconds: state.cluster.lock.leaseSeconds });

  const now = deps.clock.now();
  const job = state.job;
  const startedAt = job ? job.submittedAt : undefined;
  const measured = outcome.state === 'FINISHED' && job?.origin === 'submitted' && startedAt !== undefined;
  const { item } = await deps.catalog.recordAttempt({
    cluster: state.cluster.name,
    database: state.database,
    label: job?.label ?? state.label,
    repository: state.cluster.repository,
    schedule: state.schedule,
    scheduledTime: state.scheduledTime,
    runId: state.runId,
    executionId: state.execution.id,
    attempt: job?.labelAttempt ?? 1,
    state: outcome.state,
    reason: outcome.reason,
    startedAt: startedAt === undefined ? null : new Date(startedAt).toISOString(),
    finishedAt: new Date(now).toISOString(),
    // Only a job we submitted and watched has a duration worth feeding the poll policy's history.
    durationSeconds: measured ? Math.round((now - startedAt) / 1000) : null,
    snapshotTimestamp: state.verification?.snapshotTimestamp ?? null,
    verified: outcome.state === 'FINISHED' && state.verification?.verified === true,
    sizeBytes: state.verification?.sizeBytes ?? null,
    tableCount: state.verification?.tableCount ?? null,
    starRocksJobId: job?.starRocksJobId ?? null,
    // A differential schedule's snapshot says what it is, so chains can be verified, kept and restored.
    ...(job?.chain === undefined
      ? {}
      : {
          mode: job.chain.mode,
          ...(job.chain.baseLabel === undefined ? {} : { baseLabel: job.chain.baseLabel }),
        }),
    ...(job?.scope === undefined
      ? {}
      : {
          objects: job.scope.objects,
          omitted: job.scope.omitted.map((object) => ({
            name: object.name,
            kind: object.kind,
            why: object.why,
            ...(object.detail === undefined ? {} : { detail: object.detail }),
          })),
          omittedTotal: job.scope.omittedTotal,
        }),
  });
  if (item.state === 'SKIPPED' && item.reason === 'unchanged') {
    // The database's newest snapshot holds this slot's data: freshness must not call the database late.
    await deps.catalog.markUnchangedThrough({
      cluster: state.cluster.name,
      database: state.database,
      scheduledTime: state.scheduledTime,
    });
  }
  deps.emitOutcome?.({
    cluster: state.cluster.name,
    state: item.state,
    durationSeconds: item.durationSeconds,
    // The size of a snapshot that counts: a FINISHED backup whose snapshot SHOW SNAPSHOT listed.
    sizeBytes: item.state === 'FINISHED' && item.verified ? item.sizeBytes : null,
  });
  return { state: item.state, reason: item.reason, label: item.label };
}
