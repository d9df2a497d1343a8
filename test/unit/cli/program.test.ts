import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '#domain/config/index.ts';
import { createProgram } from '#local/cli/program.ts';
import { CliError } from '#local/cli/support/cli-error.ts';
import {
  collectNames,
  parseDurationSeconds,
  parseHttpUrl,
  parseInstant,
} from '#local/cli/support/option-parsers.ts';
import { selectCluster, selectClusters, selectSchedule } from '#local/cli/support/selection.ts';

const CONTRACT_COMMANDS = [
  'run',
  'runs',
  'snapshots',
  'report',
  'status',
  'describe',
  'logs',
  'validate',
  'plan',
  'emulator',
  'start',
  'cancel',
  'demo',
  'restore',
  'drill',
  'prune',
  'pin',
  'unpin',
  'pause',
  'resume',
];

function helpOf(args: readonly string[]): { text: string; code: number | undefined } {
  const program = createProgram();
  let text = '';
  const capture = {
    writeOut: (chunk: string) => (text += chunk),
    writeErr: (chunk: string) => (text += chunk),
  };
  program.configureOutput(capture);
  for (const command of program.commands) command.configureOutput(capture);
  try {
    program.parse(['node', 'sr-backup', ...args]);
  } catch (error) {
    if (error instanceof CommanderError) return { text, code: error.exitCode };
    throw error;
  }
  return { text, code: undefined };
}

describe('the sr-backup program', () => {
  it('has every command of the contract', () => {
    // Assess
    expect(
      createProgram()
        .commands.map((command) => command.name())
        .sort(),
    ).toEqual([...CONTRACT_COMMANDS].sort());
  });

  it.each(CONTRACT_COMMANDS)('shows help with an example for %s', (name) => {
    // Act
    const { text, code } = helpOf([name, '--help']);

    // Assess
    expect(code).toBe(0);
    expect(text).toContain(`Usage: sr-backup ${name}`);
    expect(text).toMatch(/Examples:\n\s+\$ (sr-backup|npm start|npx sr-backup)/);
  });

  it('keeps the contract flags of run', () => {
    // Act
    const { text } = helpOf(['run', '--help']);

    // Assess
    for (const flag of [
      '--config <file>',
      '--cluster <name>',
      '--schedule <name>',
      '--database <db>',
      '--scheduled-time <ISO-8601>',
      '--dynamodb-endpoint <url>',
      '--state-dir <dir>',
      '--json',
    ]) {
      expect(text).toContain(flag);
    }
  });

  it('turns a usage error into a CommanderError that main maps to exit 2', () => {
    // Act
    const { code, text } = helpOf([
      'run',
      '--config',
      'x.yaml',
      '--state-dir',
      'a',
      '--dynamodb-endpoint',
      'http://127.0.0.1:1',
    ]);

    // Assess
    expect(code).toBe(1);
    expect(text).toContain(
      "option '--dynamodb-endpoint <url>' cannot be used with option '--state-dir <dir>'",
    );
  });
});

describe('option values', () => {
  it('reads ISO instants with a zone and nothing else', () => {
    // Assess
    expect(parseInstant('2026-11-25T02:00:00+08:00').toISOString()).toBe('2026-11-24T18:00:00.000Z');
    expect(parseInstant('2026-11-24T18:00Z').toISOString()).toBe('2026-11-24T18:00:00.000Z');
    expect(() => parseInstant('2026-11-24T18:00:00')).toThrow(/with a zone/);
    expect(() => parseInstant('tomorrow')).toThrow(/ISO 8601/);
  });

  it('reads durations, URLs and repeated names', () => {
    // Assess
    expect(parseDurationSeconds('90m')).toBe(5400);
    expect(parseDurationSeconds('2h')).toBe(7200);
    expect(parseDurationSeconds('45')).toBe(45);
    expect(() => parseDurationSeconds('soon')).toThrow(/duration/);
    expect(parseHttpUrl('http://127.0.0.1:8000')).toBe('http://127.0.0.1:8000');
    expect(() => parseHttpUrl('127.0.0.1:8000')).toThrow(/http/);
    expect(collectNames('b,c', collectNames('a', undefined))).toEqual(['a', 'b', 'c']);
  });
});

describe('cluster and schedule selection', () => {
  const cluster = (name: string, schedules: string[]) => ({
    name,
    host: 'fe',
    repository: 'r',
    schedules: schedules.map((schedule) => ({ name: schedule, cron: '0 2 * * ? *' })),
  });
  const one = parseConfig({ clusters: [cluster('prod', ['nightly'])] });
  const two = parseConfig({ clusters: [cluster('prod', ['nightly', 'weekly']), cluster('dev', [])] });

  it('lets --cluster and --schedule be left out only when there is one', () => {
    // Act
    const selected = selectCluster(one, undefined, 'c.yaml');

    // Assess
    expect(selected.cluster.name).toBe('prod');
    expect(selectSchedule(selected, undefined).name).toBe('nightly');
  });

  it('names the choices with exit 2 when a name is needed or unknown', () => {
    // Act
    const errors = [
      () => selectCluster(two, undefined, 'c.yaml'),
      () => selectCluster(two, 'staging', 'c.yaml'),
      () => selectSchedule(selectCluster(two, 'prod', 'c.yaml'), undefined),
      () => selectSchedule(selectCluster(two, 'prod', 'c.yaml'), 'hourly'),
      () => selectSchedule(selectCluster(two, 'dev', 'c.yaml'), undefined),
    ].map((attempt) => {
      try {
        attempt();
        return undefined;
      } catch (error) {
        return error as CliError;
      }
    });

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(CliError);
      expect(error?.exitCode).toBe(2);
    }
    expect(errors.map((error) => error?.message)).toEqual([
      '--cluster is required: c.yaml has 2 clusters (prod, dev)',
      'unknown cluster "staging": c.yaml has prod, dev',
      '--schedule is required: cluster "prod" has 2 schedules (nightly, weekly)',
      'unknown schedule "hourly" for cluster "prod": it has nightly, weekly',
      'cluster "dev" has no schedules',
    ]);
  });

  it('takes every cluster when --cluster is left out where all are allowed', () => {
    // Assess
    expect(selectClusters(two, undefined, 'c.yaml').map((entry) => entry.index)).toEqual([0, 1]);
    expect(selectClusters(two, 'dev', 'c.yaml').map((entry) => entry.cluster.name)).toEqual(['dev']);
  });
});
