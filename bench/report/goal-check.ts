/** One goal and how the run did against it. */
export interface GoalCheck {
  readonly section: '§1' | '§2' | '§3' | '§4' | '§5';
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
  /** For a missed goal: the cause, from the measurements. */
  readonly why?: string;
  /** For a missed goal: what would close it. */
  readonly close?: string;
}
