import type { Statement } from '#local/emulator/sql/ast.ts';
import { executionError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { OK, type Reply } from '../result.ts';
import type { Session, SlotJob } from '../session.ts';

/**
 * `DROP SNAPSHOT <name> ON <repo> [FORCE]` (4.2+, BackupHandler.dropSnapshot on main): REPOSITORY privilege
 * (UNVERIFIED: the authorizer entry was not read), then `Repository does not exist: <repo>`, read only, the
 * repository listing (a directory without an info file counts), a BACKUP writing it / a RESTORE reading it, and
 * without FORCE the ownership recorded in the latest info file.
 */
export function dropSnapshot(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'DROP_SNAPSHOT' }>,
  session: Session,
): Reply {
  fe.access.require(session, 'REPOSITORY', { type: 'SYSTEM' });
  const repository = fe.repositories.get(statement.repository);
  if (!repository) {
    throw executionError(`Repository does not exist: ${statement.repository}`, 'ERR_COMMON_ERROR');
  }
  if (repository.readOnly) {
    throw executionError(`Repository ${repository.name} is read only`, 'ERR_COMMON_ERROR');
  }
  const label = statement.label;
  const directory = repository
    .directories(fe.contributions(repository.name))
    .find((candidate) => candidate.name === label);
  if (!directory) {
    throw executionError(
      `Snapshot does not exist in repository ${repository.name}: ${label}`,
      'ERR_COMMON_ERROR',
    );
  }
  const usesIt = (job: SlotJob): boolean =>
    job.repository === repository.name && job.label === label && !fe.jobEnd(job).done;
  if (fe.jobs.some(usesIt)) {
    throw executionError(`Can not drop snapshot ${label}: a backup is writing it`, 'ERR_COMMON_ERROR');
  }
  if (fe.restoreJobs.some(usesIt)) {
    throw executionError(`Can not drop snapshot ${label}: a restore is reading it`, 'ERR_COMMON_ERROR');
  }
  if (!statement.force) {
    const owner = directory.infoFiles.at(-1)?.clusterId;
    if (owner !== fe.clusterId) {
      const whose =
        owner === undefined ? 'does not record which cluster created it' : `was created by cluster ${owner}`;
      throw executionError(
        `Snapshot ${label} in repository ${repository.name} ${whose}, and this cluster is ${fe.clusterId}. ` +
          'Use DROP SNAPSHOT ... FORCE to drop it anyway',
        'ERR_COMMON_ERROR',
      );
    }
  }
  repository.deleteSnapshot(label, fe.now());
  return OK;
}
