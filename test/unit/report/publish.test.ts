import { describe, expect, it } from 'vitest';
import type { SlackMessage } from '#domain/notify/slack-message.ts';
import { loadReportAssets } from '#domain/report/index.ts';
import { PUBLISHED_REPORT_DAYS, publishReport } from '#domain/report/publish.ts';
import { seedReportCatalog } from '#test/support/report/seed.ts';
import { inMemoryReportDeps } from '#test/support/report/sinks.ts';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

describe('publishing the weekly report', () => {
  it('writes the past week to the bucket under the period, then posts a digest that links it', async () => {
    // Prepare
    const seed = seedReportCatalog({ databases: 6, days: 14, nowMs: NOW });
    const events: string[] = [];
    const objects: Array<{ bucket: string; key: string; body: string }> = [];
    const posted: SlackMessage[] = [];

    // Act
    const published = await publishReport(
      { clusters: seed.config.clusters },
      { bucket: 'acme-reports', prefix: 'weekly/', region: 'eu-west-1' },
      {
        ...inMemoryReportDeps(seed),
        assets: loadReportAssets(),
        async putObject(object) {
          events.push('put');
          objects.push(object);
        },
        async postDigest(message) {
          events.push('post');
          posted.push(message);
        },
      },
    );

    // Assess
    expect(events).toEqual(['put', 'post']);
    expect(published.location.key).toBe('weekly/2026-11-24_7d.html');
    expect(objects).toEqual([
      { bucket: 'acme-reports', key: 'weekly/2026-11-24_7d.html', body: expect.any(String) },
    ]);
    expect(objects[0]?.body).toMatch(/^<!doctype html>/i);
    expect(published.bytes).toBe(Buffer.byteLength(objects[0]?.body ?? ''));
    expect(PUBLISHED_REPORT_DAYS).toBe(7);
    expect(JSON.stringify(posted)).toContain('s3://acme-reports/weekly/2026-11-24_7d.html');
    expect(published.posted).toBe(true);
  });

  it('writes the report without posting when no Slack destination is configured', async () => {
    // Prepare
    const seed = seedReportCatalog({ databases: 3, days: 7, nowMs: NOW });
    const keys: string[] = [];

    // Act
    const published = await publishReport(
      { clusters: seed.config.clusters },
      { bucket: 'acme-reports', prefix: '', region: 'eu-west-1' },
      {
        ...inMemoryReportDeps(seed),
        assets: loadReportAssets(),
        async putObject(object) {
          keys.push(object.key);
        },
      },
    );

    // Assess
    expect(keys).toEqual(['2026-11-24_7d.html']);
    expect(published.posted).toBe(false);
  });
});
