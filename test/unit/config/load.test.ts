import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFileSync } from '#cdk/config-file.ts';
import { parseConfigText } from '#domain/config/config-text.ts';
import { nextSlots } from '#domain/config/index.ts';
import { ConfigError } from '#domain/errors.ts';
import { loadConfigFile } from '#local/config/load.ts';

const EXAMPLE = join(import.meta.dirname, '../../../backup.config.example.yaml');

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'sr-backup-config-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

async function asyncErrorOf(load: () => Promise<unknown>): Promise<ConfigError> {
  try {
    await load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the example configuration', () => {
  it('parses, with one nightly schedule at 02:00 Asia/Shanghai', () => {
    const config = loadConfigFileSync(EXAMPLE);
    expect(config.clusters.map((cluster) => cluster.name)).toEqual(['prod']);
    const [schedule] = config.clusters[0]?.schedules ?? [];
    expect(schedule).toEqual({
      name: 'nightly',
      cron: '0 2 * * ? *',
      timezone: 'Asia/Shanghai',
      enabled: true,
      mode: 'full',
    });
    expect(config.clusters[0]?.passwordSecretArn).toBe(
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:starrocks/backup-password',
    );
    if (schedule === undefined) throw new Error('no schedule');
    expect(nextSlots(schedule, new Date('2026-11-24T12:00:00Z'), 1)[0]?.toISOString()).toBe(
      '2026-11-24T18:00:00.000Z',
    );
  });

  it('reads the same in the CLI (asynchronously) as in the CDK app', async () => {
    expect(await loadConfigFile(EXAMPLE)).toEqual(loadConfigFileSync(EXAMPLE));
  });

  it('parses text that no file holds, locating problems by the name it is given', () => {
    const config = parseConfigText(
      'inline.yaml',
      'clusters:\n  - {name: prod, host: fe, repository: repo}\n',
    );
    expect(config.clusters[0]?.name).toBe('prod');
    expect(errorOf(() => parseConfigText('inline.yaml', 'clusters:\n  - name: prod\n')).message).toContain(
      'clusters[0].host: is required (inline.yaml:2:5)',
    );
  });
});

describe('loading configuration files', () => {
  const minimal = { clusters: [{ name: 'prod', host: 'fe', repository: 'repo' }] };

  it('reads JSON and .yml files', async () => {
    const fromJson = await loadConfigFile(write('config.json', JSON.stringify(minimal)));
    const fromYml = loadConfigFileSync(
      write('config.yml', 'clusters:\n  - {name: prod, host: fe, repository: repo}\n'),
    );
    expect(fromJson).toEqual(fromYml);
    expect(fromJson.clusters[0]?.port).toBe(9030);
  });

  it('names a missing file', async () => {
    const path = join(directory, 'missing.yaml');
    const error = await asyncErrorOf(() => loadConfigFile(path));
    expect(error.message).toBe(`Configuration file ${path}: file not found`);
    expect(errorOf(() => loadConfigFileSync(path)).issues).toEqual([`${path}: file not found`]);
  });

  it('refuses an unsupported extension before reading', () => {
    const path = write('config.toml', '');
    expect(errorOf(() => loadConfigFileSync(path)).message).toBe(
      `Configuration file ${path}: unsupported file type ".toml" (use .yaml, .yml or .json)`,
    );
  });

  it('reports YAML syntax errors with line and column', () => {
    const path = write('duplicate.yaml', 'clusters:\n  - name: prod\n    name: again\n    host: fe\n');
    expect(errorOf(() => loadConfigFileSync(path)).issues).toEqual([`${path}:3:5: Map keys must be unique`]);
  });

  it('does not quote the offending line, which may hold a pasted secret', () => {
    const path = write('pasted.yaml', 'clusters:\n  - name: prod\n    passwordSecretArn: hunter2: x\n');
    const error = errorOf(() => loadConfigFileSync(path));
    expect(error.issues).toEqual([`${path}:3:24: Nested mappings are not allowed in compact mappings`]);
    expect(error.message).not.toContain('hunter2');
  });

  it('points schema problems at their line in the file', () => {
    const path = write(
      'schema.yaml',
      [
        'clusters:',
        '  - name: prod',
        '    host: fe',
        '    repository: repo',
        '    schedules:',
        '      - name: nightly',
        '        cron: "0 2 ? * 8 *"',
        '        timezon: UTC',
      ].join('\n'),
    );
    const error = errorOf(() => loadConfigFileSync(path));
    expect(error.issues).toEqual([
      'clusters[0].schedules[0].cron: day-of-week 8 is out of range 1-7',
      'clusters[0].schedules[0].timezon: unknown field (did you mean timezone?); known fields: name, cron, timezone, enabled, include, exclude, mode, fullEvery',
    ]);
    expect(error.message).toContain(
      `clusters[0].schedules[0].cron: day-of-week 8 is out of range 1-7 (${path}:7:9)`,
    );
    expect(error.message).toContain(`(${path}:8:9)`);
    expect(error.message.startsWith(`Invalid configuration in ${path} (2 problems):`)).toBe(true);
  });

  it('points a missing field at its parent', () => {
    const path = write('missing-host.yaml', 'clusters:\n  - name: prod\n    repository: repo\n');
    expect(errorOf(() => loadConfigFileSync(path)).message).toContain(
      `clusters[0].host: is required (${path}:2:5)`,
    );
  });

  it('says so when the file is empty', () => {
    const path = write('empty.yaml', '# nothing yet\n');
    expect(errorOf(() => loadConfigFileSync(path)).issues).toEqual([`${path}: the file is empty`]);
  });
});
