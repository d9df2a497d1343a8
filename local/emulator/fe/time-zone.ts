/**
 * A time zone of the FE: its JVM's (snapshot timestamps: backup/Repository.jobInfoFileNameWithTimestamp formats
 * BackupJob.TIMESTAMP_FORMAT `yyyy-MM-dd-HH-mm-ss-SSS` with a SimpleDateFormat that sets no zone), or a session's
 * `time_zone` (job times: common/util/TimeUtils.longToTimeString, `yyyy-MM-dd HH:mm:ss`). Neither carries a zone
 * designator, so a reader cannot tell the instant without knowing which zone applies.
 */
export interface FeTimeZone {
  /** The zone as configured (`UTC`, `Asia/Shanghai`, `+08:00`). */
  readonly id: string;
  /** `yyyy-MM-dd HH:mm:ss` (SHOW BACKUP, SHOW REPOSITORIES). */
  dateTime(epochMs: number): string;
  /** `yyyy-MM-dd-HH-mm-ss-SSS` (snapshot timestamp, `__info_` file suffix). */
  snapshotTimestamp(epochMs: number): string;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function fixedOffsetMs(zone: string): number | undefined {
  if (/^(UTC|GMT|Z)$/i.test(zone)) return 0;
  const match = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(zone);
  if (!match) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? '0');
  if (hours > 18 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes) * 60_000;
}

function partsFromUtc(epochMs: number): LocalParts {
  const date = new Date(epochMs);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(),
  };
}

/**
 * Creates an FE time zone from an IANA name or a fixed offset (`+08:00`, `-0530`, `UTC`).
 * @throws Error when the zone is unknown
 */
export function createFeTimeZone(zone: string): FeTimeZone {
  const offset = fixedOffsetMs(zone);
  let toParts: (epochMs: number) => LocalParts;
  if (offset !== undefined) {
    toParts = (epochMs) => partsFromUtc(epochMs + offset);
  } else {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new Error(
        `unknown time zone '${zone}' (use an IANA name such as Asia/Shanghai, or an offset such as +08:00)`,
      );
    }
    toParts = (epochMs) => {
      const parts = Object.fromEntries(
        format.formatToParts(new Date(epochMs)).map((part) => [part.type, part.value]),
      );
      return {
        year: Number(parts.year),
        month: Number(parts.month),
        day: Number(parts.day),
        hour: Number(parts.hour),
        minute: Number(parts.minute),
        second: Number(parts.second),
        millisecond: ((epochMs % 1000) + 1000) % 1000,
      };
    };
  }
  return {
    id: zone,
    dateTime(epochMs) {
      const p = toParts(epochMs);
      return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
    },
    snapshotTimestamp(epochMs) {
      const p = toParts(epochMs);
      return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}-${pad(p.hour)}-${pad(p.minute)}-${pad(p.second)}-${pad(p.millisecond, 3)}`;
    },
  };
}
