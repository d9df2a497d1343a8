import type { ColumnType, ResultColumn } from '../fe/result.ts';

/**
 * mysql2's server helpers cannot send a real SQLSTATE (`writeError` always writes `#_____`) and its OK packet
 * builder mis-sizes messages, so the emulator builds those packets itself. `Connection.writePacket` accepts any
 * object with this shape (its packet classes are not exported).
 */
export interface RawPacket {
  readonly buffer: Buffer;
  length(): number;
  writeHeader(sequenceId: number): void;
}

function rawPacket(payload: Buffer, name: string): RawPacket & { _name: string } {
  const buffer = Buffer.concat([Buffer.alloc(4), payload]);
  return {
    buffer,
    _name: name,
    length: () => buffer.length,
    writeHeader(sequenceId: number) {
      buffer.writeUIntLE(payload.length, 0, 3);
      buffer.writeUInt8(sequenceId & 0xff, 3);
    },
  };
}

/** SERVER_STATUS_AUTOCOMMIT: StarRocks sessions are always in autocommit mode. */
export const SERVER_STATUS_AUTOCOMMIT = 0x0002;
/** SERVER_MORE_RESULTS_EXISTS: another result of the same multi-statement text follows. */
export const SERVER_MORE_RESULTS_EXISTS = 0x0008;

/** An ERR packet: 0xff, errno, `#`, five-character SQLSTATE, message. */
export function errorPacket(code: number, sqlState: string, message: string): RawPacket {
  const head = Buffer.alloc(3);
  head.writeUInt8(0xff, 0);
  head.writeUInt16LE(code, 1);
  return rawPacket(
    Buffer.concat([
      head,
      Buffer.from(`#${sqlState.padEnd(5, '0').slice(0, 5)}`, 'latin1'),
      Buffer.from(message, 'utf8'),
    ]),
    'Error',
  );
}

/** An OK packet with zero affected rows. */
export function okPacket(serverStatus: number): RawPacket {
  const payload = Buffer.alloc(7);
  payload.writeUInt8(0x00, 0); // header
  payload.writeUInt8(0, 1); // affected rows
  payload.writeUInt8(0, 2); // last insert id
  payload.writeUInt16LE(serverStatus, 3);
  payload.writeUInt16LE(0, 5); // warnings
  return rawPacket(payload, 'OK');
}

/** An EOF packet (the emulator never advertises CLIENT_DEPRECATE_EOF). */
export function eofPacket(serverStatus: number): RawPacket {
  const payload = Buffer.alloc(5);
  payload.writeUInt8(0xfe, 0);
  payload.writeUInt16LE(0, 1);
  payload.writeUInt16LE(serverStatus, 3);
  return rawPacket(payload, 'EOF');
}

const TYPE_CODES: Record<ColumnType, { columnType: number; characterSet: number; columnLength: number }> = {
  varchar: { columnType: 253, characterSet: 33, columnLength: 1024 * 3 },
  tinyint: { columnType: 1, characterSet: 63, columnLength: 4 },
  bigint: { columnType: 8, characterSet: 63, columnLength: 20 },
};

/** A column definition in the shape mysql2's `writeColumns` expects. */
export function columnDefinition(column: ResultColumn): Record<string, unknown> {
  const type = TYPE_CODES[column.type];
  return {
    catalog: 'def',
    schema: '',
    table: '',
    orgTable: '',
    name: column.name,
    orgName: column.name,
    characterSet: type.characterSet,
    columnLength: type.columnLength,
    columnType: type.columnType,
    flags: 0,
    decimals: 0,
  };
}
