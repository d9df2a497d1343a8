import { S3Client } from '@aws-sdk/client-s3';

/** How to reach the bucket of a repository's location. */
export interface S3ClientSettings {
  /** The bucket's region; default: the SDK's (AWS_REGION in Lambda). */
  readonly region?: string | undefined;
  /** An S3-compatible endpoint (MinIO, s3rver) instead of AWS; path-style addressing is used then. */
  readonly endpoint?: string | undefined;
  /** Explicit credentials (local S3-compatible servers); default: the SDK's provider chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
}

/**
 * The S3 client retention uses. Checksums only where an operation requires one (DeleteObjects: the SDK sends
 * CRC32 in `x-amz-checksum-crc32`), so S3-compatible servers that do not know the newer checksum headers on
 * other calls still work. A bucket in another Region than the client's answers with a redirect naming its Region;
 * the client follows it, so `retention.s3.region` may be left out even when the bucket is elsewhere.
 */
export function createS3Client(settings: S3ClientSettings = {}): S3Client {
  return new S3Client({
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint, forcePathStyle: true }),
    ...(settings.credentials === undefined ? {} : { credentials: { ...settings.credentials } }),
    followRegionRedirects: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
