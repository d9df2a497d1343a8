/**
 * The esbuild options the CDK stack bundles every Lambda with, read from the construct itself
 * (cdk/constructs/node-function.ts exports HOUSE_BUNDLING), translated the way NodejsFunction translates them
 * into its `esbuild --bundle …` command line. An option this translation does not know is refused, so the
 * benchmark can never silently measure a different bundle than the one deployed.
 */
import type { BuildOptions } from 'esbuild';
import { HOUSE_BUNDLING } from '#cdk/constructs/node-function.ts';

/** BundlingOptions keys that change nothing in the bundle's bytes or are Docker-only. */
const IGNORED = new Set(['forceDockerBundling']);
/** BundlingOptions keys translated below. */
const TRANSLATED = new Set([
  'format',
  'target',
  'mainFields',
  'minify',
  'keepNames',
  'sourceMap',
  'sourceMapMode',
  'sourcesContent',
  'banner',
  'externalModules',
]);

/** NodejsFunction's `sourceMapMode` → esbuild's `--sourcemap=` value (`default` is a bare `--sourcemap`). */
const SOURCE_MAP_MODES: Record<string, NonNullable<BuildOptions['sourcemap']>> = {
  default: 'linked',
  external: 'external',
  inline: 'inline',
  both: 'both',
};

/** The esbuild build options of HOUSE_BUNDLING (entry and output are added by the caller). */
export function houseEsbuildOptions(): BuildOptions {
  const options = HOUSE_BUNDLING as Record<string, unknown>;
  const unknown = Object.keys(options).filter((key) => !TRANSLATED.has(key) && !IGNORED.has(key));
  if (unknown.length > 0) {
    throw new Error(
      `cdk HOUSE_BUNDLING sets ${unknown.join(', ')}, which bench/bundles/house-options.ts does not translate yet`,
    );
  }
  const sourceMap = HOUSE_BUNDLING.sourceMap === true;
  return {
    bundle: true,
    platform: 'node',
    format: HOUSE_BUNDLING.format === 'esm' ? 'esm' : 'cjs',
    ...(HOUSE_BUNDLING.target === undefined ? {} : { target: HOUSE_BUNDLING.target }),
    ...(HOUSE_BUNDLING.mainFields === undefined ? {} : { mainFields: [...HOUSE_BUNDLING.mainFields] }),
    minify: HOUSE_BUNDLING.minify === true,
    keepNames: HOUSE_BUNDLING.keepNames === true,
    sourcemap: sourceMap ? (SOURCE_MAP_MODES[HOUSE_BUNDLING.sourceMapMode ?? 'default'] ?? 'linked') : false,
    ...(HOUSE_BUNDLING.sourcesContent === undefined ? {} : { sourcesContent: HOUSE_BUNDLING.sourcesContent }),
    ...(HOUSE_BUNDLING.banner === undefined ? {} : { banner: { js: HOUSE_BUNDLING.banner } }),
    external: [...(HOUSE_BUNDLING.externalModules ?? ['@aws-sdk/*'])],
    logLevel: 'warning',
  };
}
