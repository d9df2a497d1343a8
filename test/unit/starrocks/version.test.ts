import { describe, expect, it } from 'vitest';
import {
  capabilitiesOf,
  formatVersion,
  isSupportedVersion,
  parseStarRocksVersion,
} from '../../../lambdas/starrocks/version.ts';

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

describe('capabilitiesOf', () => {
  it('treats 3.3 as unable to back up views in a whole database, and 3.4 as able', () => {
    expect(capabilitiesOf({ major: 3, minor: 3 }).supportsViewsInWholeDbBackup).toBe(false);
    expect(capabilitiesOf({ major: 3, minor: 4 }).supportsViewsInWholeDbBackup).toBe(true);
  });

  it('switches to the new BACKUP grammar at 3.4', () => {
    expect(capabilitiesOf({ major: 3, minor: 3 }).newBackupSyntax).toBe(false);
    expect(capabilitiesOf({ major: 3, minor: 4 }).newBackupSyntax).toBe(true);
    expect(capabilitiesOf({ major: 4, minor: 0 }).newBackupSyntax).toBe(true);
  });

  it('lists every database in SHOW BACKUP from 3.0', () => {
    expect(capabilitiesOf({ major: 2, minor: 5 }).showBackupListsAllDbs).toBe(false);
    expect(capabilitiesOf({ major: 3, minor: 0 }).showBackupListsAllDbs).toBe(true);
  });

  it('has DROP SNAPSHOT only from 4.2', () => {
    expect(capabilitiesOf({ major: 4, minor: 1 }).dropSnapshot).toBe(false);
    expect(capabilitiesOf({ major: 4, minor: 2 }).dropSnapshot).toBe(true);
  });
});

describe('isSupportedVersion', () => {
  it('supports 3.0 through 3.5 only', () => {
    expect(isSupportedVersion({ major: 2, minor: 5 })).toBe(false);
    expect(isSupportedVersion({ major: 3, minor: 0 })).toBe(true);
    expect(isSupportedVersion({ major: 3, minor: 5 })).toBe(true);
    expect(isSupportedVersion({ major: 3, minor: 6 })).toBe(false);
    expect(isSupportedVersion({ major: 4, minor: 0 })).toBe(false);
  });
});
