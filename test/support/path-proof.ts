/**
 * A proof that no JSONPath of the project's state machines can raise `States.Runtime` (which no Catch handles,
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html), in two parts:
 *
 * - **statically**, over every path of every state: the first field a path reads (`$.job` of `$.job.phase`) is
 *   present on every way into the state, from the execution input, the ResultPath of each state before it, the
 *   ResultPath of each Catch that leads to it, and what a Choice branch has tested;
 * - **dynamically**, over the states real executions entered: every InputPath, Parameters / ItemSelector path and
 *   intrinsic argument, ItemsPath, MaxConcurrencyPath, ResultSelector, ResultPath, Catch ResultPath, OutputPath,
 *   Choice Variable (evaluated in order, as Step Functions does), SecondsPath, ErrorPath and CausePath resolves, to a
 *   value of the type the field needs, against each input the state received.
 *
 * The JSONPath subset is what the ASL files use (`$`, `$$`, `.field`, `[index]`); anything else fails loudly.
 */
import type { WorkflowEvent } from '#local/runner/local-workflow.ts';
import type { StateMachineName } from '#statemachines/definitions.ts';

/** An ASL state, as far as the proof reads it. */
export interface AslState {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
  readonly ResultPath?: string | null;
  readonly Parameters?: unknown;
  readonly ItemSelector?: unknown;
  readonly ResultSelector?: unknown;
  readonly Result?: unknown;
  readonly ItemsPath?: string;
  readonly MaxConcurrencyPath?: string;
  readonly SecondsPath?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
  readonly Choices?: readonly ChoiceRule[];
  readonly Catch?: ReadonlyArray<{
    readonly ErrorEquals: readonly string[];
    readonly ResultPath?: string | null;
    readonly Next: string;
  }>;
  readonly ItemProcessor?: AslScope;
  readonly Iterator?: AslScope;
}

/** A scope of states: a definition, or a Map's ItemProcessor. */
export interface AslScope {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
}

/** A Choice rule (or a nested boolean rule). */
export type ChoiceRule = Readonly<Record<string, unknown>> & {
  readonly Variable?: string;
  readonly Next?: string;
  readonly And?: readonly ChoiceRule[];
  readonly Or?: readonly ChoiceRule[];
  readonly Not?: ChoiceRule;
};

/** What `$$` holds when a state runs. */
interface ContextObject {
  readonly Execution: {
    readonly Id: string;
    readonly Name: string;
    readonly StartTime: string;
    readonly Input: unknown;
  };
  readonly StateMachine: { readonly Id: string; readonly Name: string };
  readonly Map?: { readonly Item: { readonly Index: number; readonly Value: unknown } };
}

/** One state entered by a real execution, with what it received. */
export interface Observation {
  readonly machine: StateMachineName;
  readonly state: string;
  readonly input: unknown;
  readonly context: ContextObject;
}

/** Collects what real executions did, from the runner's events. */
export class ExecutionObserver {
  readonly observations: Observation[] = [];
  /** Each machine's execution inputs. */
  readonly inputs = new Map<StateMachineName, unknown[]>();
  /** Each machine's successful execution outputs (a `.sync:2` Task's ResultSelector reads them as `$.Output`). */
  readonly outputs = new Map<StateMachineName, unknown[]>();
  private readonly contexts = new Map<string, ContextObject>();

  /** Records one run's events (parents, children and settlements alike). */
  record(events: readonly WorkflowEvent[]): void {
    for (const { executionArn, executionName, stateMachine, event } of events) {
      if (event.type === 'ExecutionStarted') {
        const input = (event as { input: unknown }).input;
        this.contexts.set(executionArn, {
          Execution: {
            Id: executionArn,
            Name: executionName,
            StartTime: new Date(event.timestamp).toISOString(),
            Input: input,
          },
          StateMachine: { Id: executionArn.replace(':execution:', ':stateMachine:'), Name: stateMachine },
        });
        this.inputs.set(stateMachine, [...(this.inputs.get(stateMachine) ?? []), input]);
      } else if (event.type === 'ExecutionSucceeded') {
        const output = (event as { output: unknown }).output;
        this.outputs.set(stateMachine, [...(this.outputs.get(stateMachine) ?? []), output]);
      } else if (event.type === 'StateEntered') {
        const context = this.contexts.get(executionArn);
        if (context === undefined) throw new Error(`a state of ${executionArn} before its ExecutionStarted`);
        const { name, input } = (event as { state: { name: string; input: unknown } }).state;
        this.observations.push({ machine: stateMachine, state: name, input, context });
      }
    }
  }

  /** How many times each `machine.state` was entered. */
  entries(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { machine, state } of this.observations) {
      counts.set(`${machine}.${state}`, (counts.get(`${machine}.${state}`) ?? 0) + 1);
    }
    return counts;
  }
}

/** Thrown when a path does not resolve, or resolves to a value its field cannot use. */
class PathFailure extends Error {}

type Lookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

const SEGMENT = /^(?:\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\])/;

/** Reads a path of the subset the ASL files use; a form outside it throws a plain Error (fix the proof, not the ASL). */
export function lookup(path: string, input: unknown, context: unknown): Lookup {
  let rest: string;
  let value: unknown;
  if (path.startsWith('$$')) {
    rest = path.slice(2);
    value = context;
  } else if (path.startsWith('$')) {
    rest = path.slice(1);
    value = input;
  } else {
    throw new Error(`not a JSONPath: ${path}`);
  }
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) throw new Error(`JSONPath form the proof does not read: ${path}`);
    rest = rest.slice(match[0].length);
    if (match[1] !== undefined) {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !(match[1] in value)) {
        return { found: false };
      }
      value = (value as Record<string, unknown>)[match[1]];
    } else {
      const index = Number(match[2]);
      if (!Array.isArray(value) || index >= value.length) return { found: false };
      value = value[index];
    }
  }
  return { found: true, value };
}

function resolve(path: string, input: unknown, context: unknown): unknown {
  const result = lookup(path, input, context);
  if (!result.found) throw new PathFailure(`'${path}' does not point to a value`);
  return result.value;
}

/** The path arguments of an intrinsic function call (quoted strings skipped), with the function's name. */
export function intrinsicPaths(expression: string): { readonly name: string; readonly paths: string[] } {
  const name = /^(States\.[A-Za-z]+)\(/.exec(expression)?.[1];
  if (name === undefined) throw new Error(`not an intrinsic function: ${expression}`);
  const paths: string[] = [];
  let index = name.length + 1;
  while (index < expression.length) {
    const char = expression[index] as string;
    if (char === "'") {
      index++;
      while (index < expression.length && expression[index] !== "'")
        index += expression[index] === '\\' ? 2 : 1;
      index++;
    } else if (char === '$') {
      const path = /^\$\$?(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*/.exec(expression.slice(index))?.[0] ?? '$';
      paths.push(path);
      index += path.length;
    } else if (expression.startsWith('States.', index)) {
      throw new Error(`nested intrinsic functions are outside the proof: ${expression}`);
    } else {
      index++;
    }
  }
  return { name, paths };
}

/** Every `.$` entry of a payload template, with its expression. */
export function templatePaths(
  template: unknown,
  prefix = '',
): Array<{ readonly field: string; readonly expression: string }> {
  if (template === null || typeof template !== 'object') return [];
  if (Array.isArray(template))
    return template.flatMap((item, index) => templatePaths(item, `${prefix}[${index}]`));
  return Object.entries(template as Record<string, unknown>).flatMap(([key, value]) =>
    key.endsWith('.$') && typeof value === 'string'
      ? [{ field: `${prefix}${key}`, expression: value }]
      : templatePaths(value, `${prefix}${key}.`),
  );
}

function checkTemplate(where: string, template: unknown, input: unknown, context: unknown): void {
  for (const { field, expression } of templatePaths(template)) {
    if (expression.startsWith('States.')) {
      const { name, paths } = intrinsicPaths(expression);
      for (const path of paths) {
        const value = resolve(path, input, context);
        if (name === 'States.MathAdd' && !Number.isInteger(value)) {
          throw new PathFailure(`${where} ${field}: ${path} is ${JSON.stringify(value)}, not an integer`);
        }
      }
    } else {
      try {
        resolve(expression, input, context);
      } catch (error) {
        throw new PathFailure(`${where} ${field}: ${(error as Error).message}`);
      }
    }
  }
}

/** ResultPath writes into the input: every field on its way must be missing or an object. */
function checkResultPath(where: string, resultPath: string | null | undefined, input: unknown): void {
  if (resultPath === null || resultPath === undefined || resultPath === '$') return;
  const fields = resultPath.slice(2).split('.');
  let value: unknown = input;
  for (const field of fields) {
    if (value === undefined) return;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new PathFailure(`${where} ${resultPath}: writes into ${JSON.stringify(value)}, not an object`);
    }
    value = (value as Record<string, unknown>)[field];
  }
}

const COMPARATORS =
  /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals|Matches)(Path)?$/;
const TYPE_TESTS = new Set(['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']);

/** Evaluates a Choice rule as Step Functions does; an unresolvable Variable raises States.Runtime. */
export function evaluateRule(rule: ChoiceRule, input: unknown, context: unknown): boolean {
  if (rule.And) return rule.And.every((inner) => evaluateRule(inner, input, context));
  if (rule.Or) return rule.Or.some((inner) => evaluateRule(inner, input, context));
  if (rule.Not) return !evaluateRule(rule.Not, input, context);
  const variable = rule.Variable;
  if (variable === undefined) throw new Error(`a Choice rule without Variable: ${JSON.stringify(rule)}`);
  const operator = Object.keys(rule).find((key) => key !== 'Variable' && key !== 'Next');
  if (operator === undefined) throw new Error(`a Choice rule without a comparison: ${JSON.stringify(rule)}`);
  const expected = rule[operator];
  if (operator === 'IsPresent') return lookup(variable, input, context).found === expected;
  const value = resolve(variable, input, context);
  if (TYPE_TESTS.has(operator)) {
    const is =
      operator === 'IsNull'
        ? value === null
        : operator === 'IsNumeric'
          ? typeof value === 'number'
          : operator === 'IsString'
            ? typeof value === 'string'
            : operator === 'IsBoolean'
              ? typeof value === 'boolean'
              : typeof value === 'string' && !Number.isNaN(Date.parse(value));
    return is === expected;
  }
  const match = COMPARATORS.exec(operator);
  if (!match) throw new Error(`a Choice comparison the proof does not read: ${operator}`);
  const [, kind, comparison, viaPath] = match;
  const other = viaPath ? resolve(expected as string, input, context) : expected;
  const typeOf = { String: 'string', Numeric: 'number', Boolean: 'boolean', Timestamp: 'string' }[
    kind as string
  ];
  // A value of another type does not match; it is not an error.
  if (typeof value !== typeOf || typeof other !== typeOf) return false;
  const [left, right] =
    kind === 'Timestamp' ? [Date.parse(value as string), Date.parse(other as string)] : [value, other];
  switch (comparison) {
    case 'Equals':
      return left === right;
    case 'LessThan':
      return (left as number) < (right as number);
    case 'GreaterThan':
      return (left as number) > (right as number);
    case 'LessThanEquals':
      return (left as number) <= (right as number);
    case 'GreaterThanEquals':
      return (left as number) >= (right as number);
    default:
      throw new Error(`a Choice comparison the proof does not read: ${operator}`);
  }
}

/** Every state of a definition, nested ones included, with the scope that holds it. */
export function* statesOf(scope: AslScope): Generator<[string, AslState, AslScope]> {
  for (const [name, state] of Object.entries(scope.States)) {
    yield [name, state, scope];
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) yield* statesOf(processor);
  }
}

/**
 * Checks every path of `state` against one observed input; returns what failed (empty when everything resolved).
 * `childOutputs` are the outputs a `.sync:2` child returned, for the Task's ResultSelector.
 */
export function checkObservation(
  name: string,
  state: AslState,
  observation: Observation,
  childOutputs: readonly unknown[],
): string[] {
  const failures: string[] = [];
  const attempt = (what: string, check: () => void): void => {
    try {
      check();
    } catch (error) {
      if (!(error instanceof PathFailure)) throw error;
      failures.push(`${observation.machine}.${name} ${what}: ${error.message}`);
    }
  };
  const { input, context } = observation;
  let effective: unknown = input;
  attempt('InputPath', () => {
    if (state.InputPath !== undefined && state.InputPath !== null)
      effective = resolve(state.InputPath, input, context);
  });
  if (state.Type === 'Map') {
    let items: unknown[] = [];
    attempt('ItemsPath', () => {
      const value = state.ItemsPath === undefined ? effective : resolve(state.ItemsPath, effective, context);
      if (!Array.isArray(value)) throw new PathFailure(`${state.ItemsPath} is not an array`);
      items = value;
    });
    attempt('MaxConcurrencyPath', () => {
      if (state.MaxConcurrencyPath === undefined) return;
      const value = resolve(state.MaxConcurrencyPath, effective, context);
      if (!Number.isInteger(value) || (value as number) < 0) {
        throw new PathFailure(`${state.MaxConcurrencyPath} is ${JSON.stringify(value)}, not an integer ≥ 0`);
      }
    });
    const selector = state.ItemSelector ?? state.Parameters;
    for (const [index, item] of items.entries()) {
      attempt(`ItemSelector[${index}]`, () =>
        checkTemplate('ItemSelector', selector, effective, {
          ...context,
          Map: { Item: { Index: index, Value: item } },
        }),
      );
    }
  } else if (state.Parameters !== undefined) {
    attempt('Parameters', () => checkTemplate('Parameters', state.Parameters, effective, context));
  }
  if (state.ResultSelector !== undefined) {
    for (const result of childOutputs.map((Output) => ({ Output, Status: 'SUCCEEDED' }))) {
      attempt('ResultSelector', () => checkTemplate('ResultSelector', state.ResultSelector, result, context));
    }
  }
  attempt('ResultPath', () => checkResultPath('ResultPath', state.ResultPath, input));
  for (const catcher of state.Catch ?? []) {
    attempt(`Catch → ${catcher.Next}`, () => checkResultPath('ResultPath', catcher.ResultPath, input));
  }
  if (state.OutputPath !== undefined && state.OutputPath !== null) {
    if (!['Succeed', 'Choice', 'Wait'].includes(state.Type) && state.ResultPath !== null) {
      throw new Error(
        `${name}: OutputPath after a result is outside the proof (it needs the state's result)`,
      );
    }
    attempt('OutputPath', () => resolve(state.OutputPath as string, effective, context));
  }
  if (state.Type === 'Choice') {
    attempt('Choices', () => {
      for (const rule of state.Choices ?? []) if (evaluateRule(rule, effective, context)) return;
      if (state.Default === undefined) throw new PathFailure('no rule matched and there is no Default');
    });
  }
  if (state.SecondsPath !== undefined) {
    attempt('SecondsPath', () => {
      const value = resolve(state.SecondsPath as string, effective, context);
      if (!Number.isInteger(value) || (value as number) < 0) {
        throw new PathFailure(`${state.SecondsPath} is ${JSON.stringify(value)}, not whole seconds ≥ 0`);
      }
    });
  }
  for (const field of ['ErrorPath', 'CausePath'] as const) {
    const path = state[field];
    if (path === undefined) continue;
    attempt(field, () => {
      const value = resolve(path, effective, context);
      if (typeof value !== 'string')
        throw new PathFailure(`${path} is ${JSON.stringify(value)}, not a string`);
    });
  }
  return failures;
}

/** Top-level fields known to be in a state's input; `undefined` before the analysis reached it. */
type Known = ReadonlySet<string> | undefined;

/** The first field a path reads (`job` of `$.job.phase`), or undefined for `$`, `$$…` and `$[…]`. */
export function topField(path: string): string | undefined {
  return /^\$\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(path)?.[1];
}

/** Every path a state reads from its input (not `$$`), with the field that holds it. */
export function inputPaths(state: AslState): Array<{ readonly field: string; readonly path: string }> {
  const paths: Array<{ field: string; path: string }> = [];
  const add = (field: string, path: string | null | undefined) => {
    if (typeof path === 'string' && path.startsWith('$') && !path.startsWith('$$'))
      paths.push({ field, path });
  };
  add('InputPath', state.InputPath);
  // After an InputPath other than $, the remaining fields read the selected value, not the state input.
  if (state.InputPath === undefined || state.InputPath === '$') {
    const template = state.Type === 'Map' ? (state.ItemSelector ?? state.Parameters) : state.Parameters;
    for (const { field, expression } of templatePaths(template)) {
      if (expression.startsWith('States.')) {
        for (const path of intrinsicPaths(expression).paths) add(`Parameters ${field}`, path);
      } else add(`Parameters ${field}`, expression);
    }
    add('ItemsPath', state.ItemsPath);
    add('MaxConcurrencyPath', state.MaxConcurrencyPath);
    add('SecondsPath', state.SecondsPath);
    add('ErrorPath', state.ErrorPath);
    add('CausePath', state.CausePath);
    add('OutputPath', state.Type === 'Succeed' ? state.OutputPath : undefined);
  }
  return paths;
}

/** The comparisons of a Choice rule that need their Variable (not guarded by an IsPresent before them). */
function unguardedVariables(rule: ChoiceRule, guarded: ReadonlySet<string> = new Set()): string[] {
  if (rule.And) {
    const seen = new Set(guarded);
    return rule.And.flatMap((inner) => {
      const found = unguardedVariables(inner, seen);
      if (inner.Variable !== undefined && inner.IsPresent === true) seen.add(inner.Variable);
      return found;
    });
  }
  if (rule.Or) return rule.Or.flatMap((inner) => unguardedVariables(inner, guarded));
  if (rule.Not) return unguardedVariables(rule.Not, guarded);
  if (rule.Variable === undefined || rule.IsPresent !== undefined || guarded.has(rule.Variable)) return [];
  return [rule.Variable];
}

/** The top-level fields a rule proves present when it matches (a test that needs its Variable, or IsPresent true). */
function provenByRule(rule: ChoiceRule): string[] {
  if (rule.And) return rule.And.flatMap(provenByRule);
  if (rule.Or || rule.Not || rule.Variable === undefined) return [];
  if (rule.IsPresent === false) return [];
  const field = topField(rule.Variable);
  return field === undefined ? [] : [field];
}

/** The top-level fields a state's output holds, given those of its input (undefined: not known statically). */
function outputFields(state: AslState, known: ReadonlySet<string>): ReadonlySet<string> | undefined {
  if (state.Type === 'Choice' || state.Type === 'Wait') return known;
  const resultPath = state.ResultPath;
  if (resultPath === null) return known;
  if (resultPath === undefined || resultPath === '$') {
    if (state.Type !== 'Pass') return undefined;
    const result = state.Parameters ?? state.Result;
    if (result === undefined)
      return state.InputPath === undefined || state.InputPath === '$' ? known : undefined;
    if (result === null || typeof result !== 'object' || Array.isArray(result)) return new Set();
    return new Set(Object.keys(result).map((key) => key.replace(/\.\$$/, '')));
  }
  const field = topField(resultPath);
  return field === undefined ? undefined : new Set([...known, field]);
}

function intersect(a: Known, b: ReadonlySet<string>): ReadonlySet<string> {
  return a === undefined ? b : new Set([...a].filter((field) => b.has(field)));
}

/**
 * The static half: for each state of `scope`, the top-level fields present in its input on every way into it,
 * starting from `startFields` (the execution input's, or a Map iteration's ItemSelector keys). Map iterations are
 * analysed as scopes of their own.
 */
export function knownFields(
  scope: AslScope,
  startFields: ReadonlySet<string>,
): Map<string, ReadonlySet<string>> {
  const known = new Map<string, Known>([[scope.StartAt, startFields]]);
  const edges = (state: AslState, fields: ReadonlySet<string>): Array<[string, ReadonlySet<string>]> => {
    const out = outputFields(state, fields) ?? new Set<string>();
    const next: Array<[string, ReadonlySet<string>]> = [];
    if (state.Next !== undefined) next.push([state.Next, out]);
    if (state.Type === 'Choice') {
      for (const rule of state.Choices ?? []) {
        if (rule.Next !== undefined) next.push([rule.Next, new Set([...fields, ...provenByRule(rule)])]);
      }
      if (state.Default !== undefined) next.push([state.Default, fields]);
    }
    for (const catcher of state.Catch ?? []) {
      const caught =
        catcher.ResultPath === null
          ? fields
          : catcher.ResultPath === undefined || catcher.ResultPath === '$'
            ? new Set(['Error', 'Cause'])
            : new Set([...fields, topField(catcher.ResultPath) ?? '']);
      next.push([catcher.Next, caught]);
    }
    return next;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const [name, state] of Object.entries(scope.States)) {
      const fields = known.get(name);
      if (fields === undefined) continue;
      for (const [target, carried] of edges(state, fields)) {
        const before = known.get(target);
        const after = intersect(before, carried);
        if (before === undefined || after.size !== before.size) {
          known.set(target, after);
          changed = true;
        }
      }
    }
  }
  return new Map(
    [...known].filter((entry): entry is [string, ReadonlySet<string>] => entry[1] !== undefined),
  );
}

/** A path whose first field the static analysis could not show present on every way into its state. */
export interface UnprovenPath {
  readonly machine: StateMachineName;
  readonly state: string;
  readonly field: string;
  readonly path: string;
}

/** The static half over one machine: every path whose first field is not known present. */
export function unprovenPaths(
  machine: StateMachineName,
  definition: AslScope,
  inputFields: ReadonlySet<string>,
): UnprovenPath[] {
  const unproven: UnprovenPath[] = [];
  const visit = (scope: AslScope, start: ReadonlySet<string>): void => {
    const known = knownFields(scope, start);
    for (const [name, state] of Object.entries(scope.States)) {
      const fields = known.get(name);
      const reads = [
        ...inputPaths(state),
        ...(state.Choices ?? []).flatMap((rule) =>
          unguardedVariables(rule).map((path) => ({ field: 'Choice Variable', path })),
        ),
      ];
      for (const { field, path } of reads) {
        const top = topField(path);
        if (top !== undefined && !fields?.has(top)) unproven.push({ machine, state: name, field, path });
      }
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) {
        const selector = state.ItemSelector ?? state.Parameters;
        const itemFields =
          selector !== null && typeof selector === 'object'
            ? new Set(Object.keys(selector).map((key) => key.replace(/\.\$$/, '')))
            : new Set<string>();
        visit(processor, itemFields);
      }
    }
  };
  visit(definition, inputFields);
  return unproven;
}
