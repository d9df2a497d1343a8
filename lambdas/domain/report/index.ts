/**
 * The backup report (issue 19): collectReportData reads the catalog into a compact ReportData, renderReport turns
 * it into one self-contained HTML page. Both are free of environment and SDK clients: the CLI passes its local
 * stores, a deployed function would pass its own; assets.ts reads the inlined files from disk for the CLI.
 */
export { loadReportAssets } from './assets.ts';
export {
  collectReportData,
  LOOKBACK_DAYS,
  type ReportCatalog,
  type ReportClusterConfig,
  type ReportDeps,
  type ReportRequest,
} from './collect.ts';
export { decodeColumn, encodeColumn } from './columns.ts';
export { type DecodedEntry, decodeAll } from './decode.ts';
export {
  OUTCOME_CODES,
  type OutcomeCode,
  REPORT_DATA_VERSION,
  type ReportData,
  type ReportDatabase,
} from './model.ts';
export { OUTCOME_LEGEND, type ReportAssets, renderReport, STATIC_FAILURE_ROWS } from './render.ts';
export { type ReportSummary, summarize } from './summary.ts';
