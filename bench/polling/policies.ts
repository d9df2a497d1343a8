/**
 * The polling policies the benchmark compares. All of them run the same ASL and the same CheckBackup Lambda;
 * they differ only in what the Lambda is given: the config's poll bounds, the catalog's history of earlier
 * durations, and whether SHOW BACKUP's Progress column has anything in it.
 */

/** Identifies a policy in tables and in latest.json. */
export type PolicyId =
  | 'adaptive'
  | 'adaptive-history'
  | 'adaptive-progress'
  | 'adaptive-history-progress'
  | 'fixed-30'
  | 'fixed-60';

/** How one policy is set up. */
export interface PolicySpec {
  readonly id: PolicyId;
  /** Column heading. */
  readonly label: string;
  /** Config `poll` bounds: the design's defaults for the adaptive policy; min = max pins a fixed interval. */
  readonly poll: { readonly minSeconds: number; readonly maxSeconds: number };
  /** Earlier FINISHED durations of the database are in the catalog when the backup is submitted. */
  readonly history: boolean;
  /** SHOW BACKUP's Progress column lists upload tasks (else the emulator keeps it empty: `backup.progress: false`). */
  readonly progress: boolean;
  /** A fixed-interval baseline. */
  readonly baseline: boolean;
}

const DEFAULT_POLL = { minSeconds: 30, maxSeconds: 3600 } as const;

/** Every policy, in table order (baselines last). */
export const POLICIES: readonly PolicySpec[] = [
  {
    id: 'adaptive',
    label: 'adaptive',
    poll: DEFAULT_POLL,
    history: false,
    progress: false,
    baseline: false,
  },
  {
    id: 'adaptive-history',
    label: 'adaptive + history',
    poll: DEFAULT_POLL,
    history: true,
    progress: false,
    baseline: false,
  },
  {
    id: 'adaptive-progress',
    label: 'adaptive + progress',
    poll: DEFAULT_POLL,
    history: false,
    progress: true,
    baseline: false,
  },
  {
    id: 'adaptive-history-progress',
    label: 'adaptive + history + progress',
    poll: DEFAULT_POLL,
    history: true,
    progress: true,
    baseline: false,
  },
  {
    id: 'fixed-30',
    label: 'fixed 30 s',
    poll: { minSeconds: 30, maxSeconds: 30 },
    history: false,
    progress: true,
    baseline: true,
  },
  {
    id: 'fixed-60',
    label: 'fixed 60 s',
    poll: { minSeconds: 60, maxSeconds: 60 },
    history: false,
    progress: true,
    baseline: true,
  },
];

/** Looks a policy up by id. */
export function policy(id: PolicyId): PolicySpec {
  const found = POLICIES.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`unknown policy ${id}`);
  return found;
}
