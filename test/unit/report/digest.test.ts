import { beforeAll, describe, expect, it } from 'vitest';
import { buildReportDigest, reportConsoleUrl, slowestDrill, worstFreshness } from '#domain/report/digest.ts';
import { collectReportData, decodeAll, type ReportData, summarize } from '#domain/report/index.ts';
import { seedReportCatalog } from '#test/support/report/seed.ts';
import { inMemoryReportDeps } from '#test/support/report/sinks.ts';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const LOCATION = { bucket: 'acme-backup-reports', key: 'reports/2026-11-30.html', region: 'eu-west-1' };

let data: ReportData;

beforeAll(async () => {
  const seed = seedReportCatalog({ databases: 12, days: 28, nowMs: NOW });
  data = await collectReportData({ clusters: seed.config.clusters, days: 28 }, inMemoryReportDeps(seed));
});

describe('restore times of chain drills (issue 20) in the report', () => {
  it('keeps them apart from full drills: the longest restore and the slowest drill count fulls only', () => {
    // Prepare: the slowest full drill, and a chain drill slower than every full.
    const fulls = data.drills.filter((drill) => drill.state === 'FINISHED' && drill.durationSeconds !== null);
    const slowestFull = Math.max(...fulls.map((drill) => drill.durationSeconds ?? 0));
    const [first] = fulls;
    if (first === undefined) throw new Error('the seed has no passed drill');
    const chain = {
      ...first,
      label: 'nightly_chain_diff',
      pointKind: 'chain' as const,
      fullLabel: 'nightly_chain_full',
      durationSeconds: slowestFull * 3,
    };
    const withChain: ReportData = { ...data, drills: [...data.drills, chain] };

    // Act
    const summary = summarize(withChain, decodeAll(withChain));
    const slowest = slowestDrill(withChain);

    // Assess
    expect(summary.drills.longestRestoreSeconds).toBe(slowestFull);
    expect(summary.drills.longestChainRestoreSeconds).toBe(slowestFull * 3);
    expect(slowest?.seconds).toBe(slowestFull);
    expect(summarize(data, decodeAll(data)).drills.longestChainRestoreSeconds).toBeNull();
  });
});

describe('the Slack digest of a deployed report', () => {
  it('states backups done and failed, the worst freshness and the slowest drill', () => {
    // Prepare
    const summary = summarize(data, decodeAll(data));
    const worst = worstFreshness(data);
    const drill = slowestDrill(data);

    // Act
    const message = buildReportDigest(data, summary, LOCATION);
    const text = JSON.stringify(message.blocks);

    // Assess
    expect(message.text).toBe(
      `Backup report: ${summary.slots.F + summary.slots.U} done, ${summary.slots.X + summary.slots.T} failed (${data.period.firstDay}, 28 days (UTC))`,
    );
    expect(worst).not.toBeNull();
    expect(drill).not.toBeNull();
    expect(text).toContain(`\`${worst?.database}\``);
    expect(text).toContain(`\`${drill?.database}\``);
    expect(worst?.ageSeconds).toBe(
      Math.max(...data.databases.map((db) => db.freshness.worstAgeSeconds ?? 0)),
    );
  });

  it('links the S3 console page of the report, never a presigned URL', () => {
    // Prepare
    const summary = summarize(data, decodeAll(data));

    // Act
    const text = JSON.stringify(buildReportDigest(data, summary, LOCATION));

    // Assess
    expect(reportConsoleUrl(LOCATION)).toBe(
      'https://eu-west-1.console.aws.amazon.com/s3/object/acme-backup-reports?region=eu-west-1&prefix=reports%2F2026-11-30.html',
    );
    expect(text).toContain('s3://acme-backup-reports/reports/2026-11-30.html');
    expect(text).not.toMatch(/X-Amz-(Signature|Credential|Security-Token)/i);
    expect(text).not.toContain('.s3.amazonaws.com');
  });

  it('says so when no snapshot was verified and no drill restored', () => {
    // Prepare
    const empty: ReportData = { ...data, databases: [], drills: [] };
    const summary = summarize(empty, []);

    // Act
    const text = JSON.stringify(buildReportDigest(empty, summary, LOCATION).blocks);

    // Assess
    expect(text).toContain('no verified snapshot');
    expect(text).toContain('no drill restored');
  });
});
