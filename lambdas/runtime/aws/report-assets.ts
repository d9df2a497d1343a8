import { BUNDLED_REPORT_ASSETS_DIRECTORY, readReportAssetsFrom } from '#domain/report/asset-files.ts';
import type { ReportAssets } from '#domain/report/render.ts';

let assets: ReportAssets | undefined;

/** The report's inlined files, read once per cold start from where the CDK construct put them, beside the bundle. */
export function awsReportAssets(): ReportAssets {
  assets ??= readReportAssetsFrom(new URL(`./${BUNDLED_REPORT_ASSETS_DIRECTORY}`, import.meta.url));
  return assets;
}
