/** Collects a report from a local catalog and writes its HTML file (shared by `sr-backup report` and the demo). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createCatalogStore } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import { createIncidentStore } from '#domain/incidents/incident-store.ts';
import { createPauseStore } from '#domain/pause/index.ts';
import {
  collectReportData,
  decodeAll,
  loadReportAssets,
  type ReportData,
  type ReportRequest,
  type ReportSummary,
  renderReport,
  summarize,
} from '#domain/report/index.ts';

/** A written report. */
export interface WrittenReport {
  /** Absolute path of the HTML file. */
  readonly path: string;
  readonly bytes: number;
  readonly data: ReportData;
  readonly summary: ReportSummary;
}

/** Reads the catalog table through the real stores, renders the report and writes it to `out`. */
export async function writeLocalReport(
  request: ReportRequest & { readonly out: string },
  store: { readonly client: DynamoDBDocumentClient; readonly tableName: string; readonly clock: Clock },
): Promise<WrittenReport> {
  const data = await collectReportData(request, {
    catalog: createCatalogStore(store),
    pauses: createPauseStore(store),
    incidents: createIncidentStore(store),
    clock: store.clock,
  });
  const html = renderReport(data, loadReportAssets());
  const path = resolve(request.out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, html);
  return { path, bytes: Buffer.byteLength(html), data, summary: summarize(data, decodeAll(data)) };
}
