/**
 * The rule that keeps the ASL files on the one retry policy (lambdas/domain/retry-policy.ts): every Lambda Task's
 * transient Retrier lists exactly the shared Lambda errors, and names no error of ours the policy does not call
 * transient (or, in another Retrier, contention). JSON has no includes, so the files carry the lists themselves:
 * `npm run asl:retry-policy` rewrites them, and a test (test/unit/statemachines/retry-policy.test.ts) fails when
 * one drifts.
 */
import { CONTENTION_ERRORS, LAMBDA_TRANSIENT_ERRORS, TRANSIENT_ERRORS } from '#domain/retry-policy.ts';

const LAMBDA_ERROR = /^(Lambda|Sandbox)\./;
/** Names AWS raises (Lambda, the sandbox, Step Functions itself): not ours to classify. */
const AWS_ERROR = /^(Lambda|Sandbox|States|StepFunctions)\./;
const TRANSIENT: ReadonlySet<string> = new Set(TRANSIENT_ERRORS);
const CONTENTION: ReadonlySet<string> = new Set(CONTENTION_ERRORS);

/** A Retrier as far as the policy reads it; the other fields (timing) stay per state. */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly [field: string]: unknown;
}

interface State {
  readonly Type?: string;
  readonly Resource?: unknown;
  readonly Retry?: readonly Retrier[];
  readonly ItemProcessor?: Scope;
  readonly Iterator?: Scope;
  readonly Branches?: readonly Scope[];
  readonly [field: string]: unknown;
}

interface Scope {
  readonly States: Readonly<Record<string, State>>;
  readonly [field: string]: unknown;
}

/**
 * A Task that invokes one of our functions: its Resource is a `${…FunctionArn}` placeholder (the ASL files) or a
 * Lambda function ARN (a substituted definition).
 */
export function isLambdaTask(state: { readonly Type?: string; readonly Resource?: unknown }): boolean {
  if (state.Type !== 'Task' || typeof state.Resource !== 'string') return false;
  return /^\$\{[A-Za-z0-9]+FunctionArn\}$/.test(state.Resource) || /^arn:[^:]+:lambda:/.test(state.Resource);
}

/**
 * The ErrorEquals of a transient Retrier under the policy: the state's own error names first, then the shared
 * Lambda list, then the `States.` names (States.Timeout) it listed.
 */
export function withLambdaTransientErrors(errorEquals: readonly string[]): string[] {
  const own = errorEquals.filter((name) => !LAMBDA_ERROR.test(name) && !name.startsWith('States.'));
  const states = errorEquals.filter((name) => name.startsWith('States.'));
  return [...own, ...LAMBDA_TRANSIENT_ERRORS, ...states];
}

/**
 * The definition with every Lambda Task's transient Retrier (the one that names Lambda errors) listing exactly the
 * shared Lambda errors; every other field and Retrier stays as it is. Throws when a Lambda Task has no such Retrier or
 * several, which the policy cannot decide for it.
 */
export function applyRetryPolicy<T extends Scope>(definition: T): T {
  return rewriteScope(definition, '') as T;
}

/**
 * Where a definition departs from the policy, one line per Lambda Task (empty when it follows it): a Retry list
 * `npm run asl:retry-policy` would rewrite, or an error of ours retried although the policy does not call it
 * transient (or contention), which only a person can decide.
 */
export function retryPolicyDrift(definition: Scope): string[] {
  const expected = applyRetryPolicy(definition);
  const drift: string[] = [];
  const compare = (actual: Scope, wanted: Scope, prefix: string): void => {
    for (const [name, state] of Object.entries(actual.States)) {
      const target = wanted.States[name] as State;
      if (JSON.stringify(state.Retry) !== JSON.stringify(target.Retry)) {
        drift.push(`${prefix}${name}: Retry should be ${JSON.stringify(target.Retry)}`);
      }
      if (isLambdaTask(state)) drift.push(...offPolicyRetries(state, `${prefix}${name}`));
      const processor = state.ItemProcessor ?? state.Iterator;
      const wantedProcessor = target.ItemProcessor ?? target.Iterator;
      if (processor && wantedProcessor) compare(processor, wantedProcessor, `${prefix}${name}/`);
      (state.Branches ?? []).forEach((branch, index) => {
        const wantedBranch = target.Branches?.[index];
        if (wantedBranch) compare(branch, wantedBranch, `${prefix}${name}[${index}]/`);
      });
    }
  };
  compare(definition, expected, '');
  return drift;
}

/** Our error names a Lambda Task retries although lambdas/domain/retry-policy.ts does not list them so. */
function offPolicyRetries(state: State, path: string): string[] {
  return (state.Retry ?? []).flatMap((retrier) => {
    const transient = retrier.ErrorEquals.some((name) => LAMBDA_ERROR.test(name));
    const allowed = transient ? TRANSIENT : CONTENTION;
    return retrier.ErrorEquals.filter((name) => !AWS_ERROR.test(name) && !allowed.has(name)).map(
      (name) =>
        `${path}: retries ${name} as ${transient ? 'transient' : 'contention'}, which lambdas/domain/retry-policy.ts does not list so`,
    );
  });
}

function rewriteScope(scope: Scope, prefix: string): Scope {
  const states: Record<string, State> = {};
  for (const [name, state] of Object.entries(scope.States)) {
    states[name] = rewriteState(state, `${prefix}${name}`);
  }
  return { ...scope, States: states };
}

function rewriteState(state: State, path: string): State {
  let rewritten: State = state;
  if (isLambdaTask(state)) {
    const retry = state.Retry ?? [];
    const transient = retry.filter((retrier) => retrier.ErrorEquals.some((name) => LAMBDA_ERROR.test(name)));
    if (transient.length !== 1) {
      throw new Error(
        `${path}: a Lambda Task needs exactly one Retrier naming Lambda errors (the transient one), found ${transient.length}`,
      );
    }
    rewritten = {
      ...state,
      Retry: retry.map((retrier) =>
        retrier === transient[0]
          ? { ...retrier, ErrorEquals: withLambdaTransientErrors(retrier.ErrorEquals) }
          : retrier,
      ),
    };
  }
  if (state.ItemProcessor)
    rewritten = { ...rewritten, ItemProcessor: rewriteScope(state.ItemProcessor, `${path}/`) };
  if (state.Iterator) rewritten = { ...rewritten, Iterator: rewriteScope(state.Iterator, `${path}/`) };
  if (state.Branches) {
    rewritten = {
      ...rewritten,
      Branches: state.Branches.map((branch, index) => rewriteScope(branch, `${path}[${index}]/`)),
    };
  }
  return rewritten;
}
