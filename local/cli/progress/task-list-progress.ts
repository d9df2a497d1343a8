/**
 * Live progress on a terminal with listr2: one line per database with its state and elapsed time, updated as
 * the workflow's polls come in (and every second for the clock).
 */
import { Listr } from 'listr2';
import type { Clock } from '#domain/clock.ts';
import type { Colors } from '../format/color.ts';
import { planLine, progressLine } from './format-progress.ts';
import type { DatabaseProgress, RunPlanSummary, RunProgress } from './run-progress.ts';

const REFRESH_MS = 1000;

/** Options of {@link showTaskList}. */
export interface TaskListOptions {
  /** Title of the run's task, e.g. `demo / nightly, slot 2026-11-24 18:00:00Z`. */
  readonly title: string;
  readonly clock: Clock;
  readonly colors: Colors;
  /** Where the heading lines go (the list itself renders on stdout, a terminal). */
  readonly output: NodeJS.WritableStream;
}

/** The part of a listr2 task this module drives: its title line. */
interface TitledTask {
  title: string;
}

/**
 * Renders the run's progress on stdout (a terminal) until `work` settles and every database line reached its end.
 * Resolves when the list is drawn for the last time; never rejects (the caller reports the outcome from `work`).
 */
export async function showTaskList(
  progress: RunProgress,
  work: Promise<unknown>,
  options: TaskListOptions,
): Promise<void> {
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  const planned = new Promise<RunPlanSummary | null>((resolve) => {
    if (progress.plan) resolve(progress.plan);
    const off = progress.onChange((change) => {
      if (change.kind === 'planned') {
        off();
        resolve(change.plan);
      }
    });
    void settled.then(() => {
      off();
      resolve(progress.plan);
    });
  });

  const followDatabase = (database: string, nameWidth: number, task: TitledTask): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const render = (): DatabaseProgress | undefined => {
        const current = progress.database(database);
        if (current) {
          task.title = progressLine(current, {
            nowMs: options.clock.now(),
            nameWidth,
            colors: options.colors,
          });
        }
        return current;
      };
      let finished = false;
      const end = (current: DatabaseProgress | undefined): void => {
        if (finished) return;
        finished = true;
        clearInterval(timer);
        off();
        if (current?.outcome === 'FAILED' || current?.outcome === 'TIMED_OUT') reject(new Error(task.title));
        else resolve();
      };
      const timer = setInterval(render, REFRESH_MS);
      const off = progress.onChange((change) => {
        if (change.kind !== 'database' || change.progress.database !== database) return;
        const current = render();
        if (current?.phase === 'done') end(current);
      });
      const initial = render();
      if (initial?.phase === 'done') end(initial);
      void settled.then(() => end(render()));
    });

  options.output.write(`${options.colors.bold(options.title)}: resolving databases…\n`);
  const plan = await planned;
  if (plan === null) return settled;
  options.output.write(`${planLine(plan)}\n`);
  if (plan.databases.length === 0) return settled;
  const nameWidth = Math.max(...plan.databases.map((name) => name.length));
  // One flat list: nested listr2 lists redraw their last frame twice on some terminals.
  const list = new Listr(
    plan.databases.map((database) => ({
      title: database,
      task: (_context: unknown, task: TitledTask) => followDatabase(database, nameWidth, task),
    })),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: 'default',
      // clearOutput: listr2 would otherwise print the last frame a second time; the results table follows anyway.
      rendererOptions: { collapseErrors: true, showErrorMessage: true, clearOutput: true },
      fallbackRenderer: 'simple',
    },
  );
  await list.run().catch(() => undefined);
  await settled;
}
