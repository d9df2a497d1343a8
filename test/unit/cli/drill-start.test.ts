// The name and input of a manual start of the deployed RestoreDrill.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '#domain/config/index.ts';
import { drillScheduleInput } from '#domain/schedules/desired.ts';
import { drillExecutionName, manualDrillInput } from '#local/cli/drill/drill-start.ts';

const config = parseConfig({
  clusters: [
    {
      name: 'prod',
      host: 'fe.internal',
      repository: 's3_repo',
      schedules: [],
      drill: { database: 'sales', cron: '0 3 ? * SUN *', timezone: 'UTC' },
    },
  ],
});

describe('a manual start of the deployed RestoreDrill', () => {
  it('names it drill-<cluster>-<slot>-<suffix>, cutting a long or odd cluster name, never the slot or suffix', () => {
    // Act
    const short = drillExecutionName('prod', new Date('2026-11-29T03:00:59Z'), 'a1b2c3');
    const long = drillExecutionName(`eu west/${'x'.repeat(90)}`, new Date('2026-03-29T01:30:00Z'), 'ffffff');

    // Assess: Step Functions API Reference, StartExecution, `name`: at most 80 characters.
    expect(short).toBe('drill-prod-20261129T0300Z-a1b2c3');
    expect(long).toHaveLength(80);
    expect(long).toMatch(/^drill-eu_west_x+-20260329T0130Z-ffffff$/);
  });

  it('sends the drill schedule’s input, the slot in place of Scheduler’s placeholder or left out', () => {
    // Prepare
    const cluster = config.clusters[0];
    if (cluster === undefined) throw new Error('no cluster');
    const scheduled = drillScheduleInput(config, cluster);

    // Act
    const now = manualDrillInput(config, cluster, undefined);
    const at = manualDrillInput(config, cluster, new Date('2026-11-29T03:00:00Z'));

    // Assess
    expect(scheduled.scheduledTime).toBe('<aws.scheduler.scheduled-time>');
    expect(now).toEqual({ cluster: scheduled.cluster });
    expect(at).toEqual({ ...scheduled, scheduledTime: '2026-11-29T03:00:00.000Z' });
  });
});
