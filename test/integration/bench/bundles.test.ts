import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundlesBench } from '#bench/bundles/bundles-bench.ts';
import { houseEsbuildOptions } from '#bench/bundles/house-options.ts';
import { HOUSE_BUNDLING } from '#cdk/constructs/node-function.ts';

describe('bundle benchmark (smoke size: one FE-facing and one other function, two rounds)', () => {
  let outDir: string;
  let result: Awaited<ReturnType<typeof runBundlesBench>>;

  beforeAll(async () => {
    // Inside the repository, so the bundles resolve @aws-sdk/* from its node_modules as Lambda's runtime would.
    mkdirSync(join(process.cwd(), 'bench/.out'), { recursive: true });
    outDir = mkdtempSync(join(process.cwd(), 'bench/.out/smoke-bundles-'));
    result = await runBundlesBench({ runs: 2, folders: ['CheckBackup', 'ReleaseLeases'], outDir });
  }, 60_000);

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('bundles with the options the CDK construct uses', () => {
    // Act
    const options = houseEsbuildOptions();

    // Assess
    expect(options.format).toBe('esm');
    expect(options.minify).toBe(HOUSE_BUNDLING.minify);
    expect(options.keepNames).toBe(true);
    expect(options.external).toEqual(HOUSE_BUNDLING.externalModules);
    expect(options.banner?.js).toBe(HOUSE_BUNDLING.banner);
  });

  it('finds mysql2 in the function that talks to StarRocks and not in the other', () => {
    // Prepare
    const check = result.functions.find((f) => f.folder === 'CheckBackup');
    const release = result.functions.find((f) => f.folder === 'ReleaseLeases');

    // Assess
    expect(check?.feFacing).toBe(true);
    expect(check?.containsMysql2).toBe(true);
    expect(release?.feFacing).toBe(false);
    expect(release?.containsMysql2).toBe(false);
    expect(check?.mysql2ImportChain?.[0]).toBe('lambdas/functions/CheckBackup/handler.ts');
    expect(check?.mysql2ImportChain?.at(-1)).toMatch(/node_modules\/mysql2\//);
    expect(release?.mysql2ImportChain).toBeNull();
  });

  it('times every bundle and its bare baseline in the same rounds', () => {
    for (const f of result.functions) {
      expect(f.bytes).toBeGreaterThan(0);
      expect(f.awsSdkImports).toContain('@aws-sdk/client-dynamodb');
      expect(f.samples.bundle).toHaveLength(2);
      expect(f.samples.bare).toHaveLength(2);
      expect(f.initMedianMs).toBeGreaterThan(0);
      expect(f.initRatio).toBeCloseTo(f.initMedianMs / f.bareInitMedianMs, 10);
    }
  });
});
