/** What every local execution (nightly run, drill, restore, freshness check) names and reports the same way. */
import { randomBytes } from 'node:crypto';
import { causeMessage } from '#domain/workflow/workflow-state.ts';

/**
 * `<prefix>-<yyyyMMddTHHmm>-<6 hex>`, cut to Step Functions' 80 characters: readable and unique. Execution names
 * only trace; the catalog and the labels decide what ran.
 */
export function localExecutionName(prefix: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').slice(0, 13);
  return `${prefix}-${stamp}-${randomBytes(3).toString('hex')}`.slice(0, 80);
}

/** The error of an execution that did not succeed: its name and its cause's message. */
export function executionError(outcome: { readonly error: string; readonly cause: string }): {
  readonly name: string;
  readonly message: string;
} {
  return { name: outcome.error, message: causeMessage({ Error: outcome.error, Cause: outcome.cause }) };
}
