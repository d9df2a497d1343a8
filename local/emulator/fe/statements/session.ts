import type { Statement } from '#local/emulator/sql/ast.ts';
import { FeError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { OK, type Reply } from '../result.ts';
import type { Session } from '../session.ts';
import { createFeTimeZone, type FeTimeZone } from '../time-zone.ts';

/** common/util/TimeUtils.TIME_ZONE_ALIAS_MAP: CST and PRC mean Asia/Shanghai. */
const ZONE_ALIASES: Readonly<Record<string, string>> = { CST: 'Asia/Shanghai', PRC: 'Asia/Shanghai' };

const OFFSET = /^[+-]?\d{1,2}:\d{2}$/;

/**
 * TimeUtils.checkTimeZoneValidAndStandardize: an offset (`8:00`, `+08:00`, `-7:00`) is normalised to `±HH:MM` and
 * must lie within -12:00 … +14:00; anything else must be a zone `ZoneId.of` knows (with the alias map). A wrong
 * value is ErrorCode.ERR_UNKNOWN_TIME_ZONE, `Unknown or incorrect time zone: '<v>'` (its code and SQLSTATE as the
 * MySQL error 1298; whether older builds send 1064 is the profile's error-code rule).
 */
export function standardizeTimeZone(value: string): FeTimeZone {
  const refuse = (): never => {
    throw new FeError(`Unknown or incorrect time zone: '${value}'`, {
      phase: 'execution',
      errorCode: 'ERR_UNKNOWN_TIME_ZONE',
    });
  };
  if (OFFSET.test(value)) {
    const negative = value.startsWith('-');
    const [hours = '0', minutes = '0'] = value.replace(/^[+-]/, '').split(':');
    const normalized = `${negative ? '-' : '+'}${hours.padStart(2, '0')}:${minutes.padStart(2, '0')}`;
    const amount = Number(hours) * 100 + Number(minutes);
    if ((negative && amount > 1200) || (!negative && amount > 1400) || Number(minutes) > 59) refuse();
    return createFeTimeZone(normalized);
  }
  const zone = ZONE_ALIASES[value] ?? value;
  // ZoneId.of accepts region ids and UTC/GMT/Z; Intl knows the same region ids.
  if (!/^(?:[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*|UTC|GMT|Z)$/.test(zone)) refuse();
  try {
    return { ...createFeTimeZone(zone), id: value };
  } catch {
    return refuse();
  }
}

/**
 * `SET [GLOBAL|SESSION] var = value, …`: the emulator acts on `time_zone` (a session's zone for the times SHOW
 * BACKUP, SHOW RESTORE and SHOW REPOSITORIES print; a GLOBAL value becomes every later session's default, as
 * VariableMgr's default session variable does) and accepts every other variable without effect.
 */
export function executeSet(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'SET' }>,
  session: Session,
): Reply {
  for (const assignment of statement.assignments) {
    if (assignment.name !== 'time_zone') continue;
    const zone = standardizeTimeZone(assignment.value);
    if (assignment.scope === 'GLOBAL') {
      // UNVERIFIED: SET GLOBAL needs OPERATE on SYSTEM in StarRocks' privilege model.
      fe.access.require(session, 'OPERATE', { type: 'SYSTEM' });
      fe.globalTimeZone = zone;
    } else {
      session.timeZone = zone;
    }
  }
  return OK;
}
