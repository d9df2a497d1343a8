/** What `sr-backup drill` prints of a drill, local or deployed: its progress lines, its verdict, its alert. */
import type { DrillRecord } from '#domain/catalog/index.ts';
import type { TrackedRestore } from '#domain/restore/restore-job.ts';
import { formatDuration } from '#domain/time-format.ts';
import type { WorkflowEvent } from '#local/runner/local-workflow.ts';
import type { LocalDrillResult } from '#local/runner/run-drill.ts';
import type { Colors } from '../format/color.ts';
import { formatTimestamp } from '../format/time.ts';
import { webhookConfigured } from '../run/alerts.ts';

/** The `--json` document. */
export interface DrillJsonDocument {
  readonly cluster: string | null;
  readonly database: string | null;
  /**
   * `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`, `ERROR` when the command stopped before the drill, or `RUNNING`
   * when following a deployed drill stopped first (Ctrl-C).
   */
  readonly status: LocalDrillResult['status'] | 'ERROR' | 'RUNNING';
  readonly executionArn: string | null;
  /** The catalog record of the drill. */
  readonly drill: DrillRecord | null;
  readonly alert: { readonly posted: boolean; readonly severity: string; readonly title: string } | null;
  readonly error: { readonly name: string; readonly message: string; readonly hint?: string } | null;
  /** Why the drill did not run when a pause covers the cluster (`sr-backup pause`); absent otherwise. */
  readonly paused?: string;
}

function restoreIn(event: WorkflowEvent): TrackedRestore | undefined {
  if (event.event.type !== 'StateExited') return undefined;
  return (event.event.state.output as { restore?: TrackedRestore } | undefined)?.restore;
}

/** One plain line per step that matters, as the drill goes (locally or from a deployed history); else null. */
export function drillProgressLine(event: WorkflowEvent, colors: Colors): string | null {
  const logged = event.event;
  if (logged.type !== 'StateExited') return null;
  const stamp = colors.dim(formatTimestamp(Date.parse(String(logged.timestamp)) || Date.now()));
  const output = (logged.state.output ?? {}) as Record<string, unknown>;
  switch (logged.state.name) {
    case 'PlanDrill': {
      const plan = output.plan as
        | {
            snapshot: { label: string };
            targetDatabase: string;
            chain?: { full: { label: string } };
            chainFallback?: string;
          }
        | undefined;
      if (!plan) return null;
      if (plan.chain !== undefined) {
        return `${stamp}  restoring the chain ${plan.chain.full.label} → ${plan.snapshot.label} into ${plan.targetDatabase} (experimental)`;
      }
      const fallback =
        plan.chainFallback === undefined ? '' : ` (not the newest point: ${plan.chainFallback})`;
      return `${stamp}  restoring ${plan.snapshot.label} into ${plan.targetDatabase}${fallback}`;
    }
    case 'NextRestoreStep': {
      const next = output.chainNext as { dropped: number } | undefined;
      return next ? `${stamp}  dropped ${next.dropped} partition(s) of the chain` : null;
    }
    case 'SubmitRestore':
    case 'CheckRestore': {
      const job = restoreIn(event);
      if (!job) return null;
      const progress =
        job.progress && job.starRocksState === 'DOWNLOADING'
          ? ` ${job.progress.done}/${job.progress.total} tasks`
          : '';
      const state = `${job.chain === undefined ? '' : `${job.label}: `}${job.starRocksState ?? 'submitted'}`;
      return job.phase === 'running'
        ? `${stamp}  ${state}${progress}; next check in ${job.nextWaitSeconds} s`
        : `${stamp}  ${state}`;
    }
    case 'VerifyRestore': {
      const check = output.check as { tableCount: number; rowCount: number; passed: boolean } | undefined;
      return check
        ? `${stamp}  checked: ${check.tableCount} tables, ${check.rowCount} rows — ${check.passed ? 'OK' : 'FAILED'}`
        : null;
    }
    case 'DropScratch': {
      const cleanup = output.cleanup as { dropped: boolean } | undefined;
      return cleanup?.dropped ? `${stamp}  scratch database dropped` : null;
    }
    default:
      return null;
  }
}

/** The drill's verdict and what it left, in a sentence or two. */
export function describeDrillResult(result: LocalDrillResult, colors: Colors): string {
  if (result.paused !== null) return `Drill ${colors.yellow('SKIPPED')}: ${result.paused}.`;
  const drill = result.drill;
  if (!drill)
    return `Drill ${colors.red(result.status)}: ${result.error?.message ?? 'no record was written'}.`;
  const verdict =
    drill.state === 'FINISHED'
      ? colors.green('PASSED')
      : drill.state === 'SKIPPED'
        ? colors.yellow('SKIPPED')
        : colors.red(drill.state);
  const time = drill.durationSeconds === null ? '' : ` in ${formatDuration(drill.durationSeconds)}`;
  const from =
    drill.pointKind === 'chain' ? `the chain ${drill.fullLabel ?? '?'} → ${drill.label}` : drill.label;
  const lines = [
    `Drill ${verdict}: ${drill.database} from ${from} into ${drill.scratchDatabase}${time}` +
      (drill.tableCount === null ? '' : `; ${drill.tableCount} tables, ${drill.rowCount ?? 0} rows`) +
      (drill.reason ? ` — ${drill.reason}` : '') +
      '.',
    ...(drill.chainFallback === undefined
      ? []
      : [colors.dim(`The newest point was not drilled as a chain: ${drill.chainFallback}.`)]),
    colors.dim(
      drill.scratchDropped
        ? 'No scratch database is left.'
        : `The scratch database ${drill.scratchDatabase} may be left: drop it.`,
    ),
  ];
  return lines.join('\n');
}

/**
 * The Slack alert the drill built: sent, or its text when it was not. A local drill posts with this machine's
 * SLACK_WEBHOOK_URL; a deployed one with the stack's Slack settings.
 */
export function describeDrillAlert(
  alert: NonNullable<LocalDrillResult['alert']>,
  where: { readonly deployed: boolean; readonly env: NodeJS.ProcessEnv },
  colors: Colors,
): string {
  const header = alert.posted
    ? 'Slack alert sent'
    : where.deployed || webhookConfigured(where.env)
      ? 'Slack alert NOT delivered; it read:'
      : 'Slack alert (not sent: SLACK_WEBHOOK_URL is not set):';
  const body = alert.posted
    ? ''
    : `${alert.text
        .split('\n')
        .map((line) => `  │ ${line}`)
        .join('\n')}\n`;
  return `${colors.yellow(header)}\n${body}`;
}

/** The `--json` document's fields that come from the drill's result. */
export function drillDocumentFields(
  result: LocalDrillResult,
): Pick<DrillJsonDocument, 'status' | 'executionArn' | 'drill' | 'alert' | 'error' | 'paused'> {
  return {
    status: result.status,
    executionArn: result.executionArn,
    drill: result.drill,
    alert: result.alert
      ? { posted: result.alert.posted, severity: result.alert.severity, title: result.alert.title }
      : null,
    error: result.error,
    ...(result.paused === null ? {} : { paused: result.paused }),
  };
}
