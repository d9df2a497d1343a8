import { describe, expect, it } from 'vitest';
import { formatVersion, isSupportedVersion, parseStarRocksVersion } from '#domain/starrocks/version.ts';

describe('parseStarRocksVersion', () => {
  it('reads major, minor and patch from current_version() output', () => {
    expect(parseStarRocksVersion('3.3.9 a1b2c3d')).toEqual({
      major: 3,
      minor: 3,
      patch: 9,
      raw: '3.3.9 a1b2c3d',
    });
  });

  it('reads release-candidate and prefixed forms', () => {
    expect(formatVersion(parseStarRocksVersion('3.4.0-rc01 5f2e9d1'))).toBe('3.4.0');
    expect(formatVersion(parseStarRocksVersion('v3.5.2-ee abc'))).toBe('3.5.2');
    expect(formatVersion(parseStarRocksVersion('2.5'))).toBe('2.5.0');
  });

  it('refuses text that holds no version', () => {
    expect(() => parseStarRocksVersion('StarRocks')).toThrow(RangeError);
  });
});

describe('isSupportedVersion', () => {
  it('supports the released lines 3.0 to 3.5, 4.0 and 4.1, and not 2.5 or the 4.2 development line', () => {
    expect(isSupportedVersion({ major: 2, minor: 5 })).toBe(false);
    for (const minor of [0, 1, 2, 3, 4, 5]) expect(isSupportedVersion({ major: 3, minor })).toBe(true);
    expect(isSupportedVersion({ major: 3, minor: 6 })).toBe(false);
    expect(isSupportedVersion({ major: 4, minor: 0 })).toBe(true);
    expect(isSupportedVersion({ major: 4, minor: 1 })).toBe(true);
    expect(isSupportedVersion({ major: 4, minor: 2 })).toBe(false);
  });
});
