import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stage } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';

/** The context key with which a toolkit (SAM, for one) turns asset staging off. */
const DISABLE_ASSET_STAGING_CONTEXT = 'aws:cdk:disable-asset-staging';

/**
 * Writes `value` to a JSON file and makes it an asset (construct id `id`): its hash (the asset's object key)
 * changes exactly when the value does. The file goes next to the assembly under `directoryName`, where CDK stages
 * it, and is removed once staged.
 */
export function jsonAsset(
  scope: Construct,
  id: string,
  options: { readonly directoryName: string; readonly filePrefix: string; readonly value: unknown },
): s3assets.Asset {
  const text = `${JSON.stringify(options.value)}\n`;
  const stage = Stage.of(scope);
  if (stage === undefined) throw new Error(`${scope.node.path} must be defined inside an App or Stage`);
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const directory = join(stage.assetOutdir, options.directoryName);
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${options.filePrefix}-${digest}.json`);
  writeFileSync(file, text);
  const asset = new s3assets.Asset(scope, id, { path: file });
  // Staging copied it into the assembly as asset.<hash>.json, unless staging is off (then the file is the asset).
  if (!scope.node.tryGetContext(DISABLE_ASSET_STAGING_CONTEXT)) {
    rmSync(file, { force: true });
    if (readdirSync(directory).length === 0) rmSync(directory, { recursive: true, force: true });
  }
  return asset;
}
