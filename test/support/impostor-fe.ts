/**
 * A fake MySQL-protocol server that poses as a StarRocks FE and tries to obtain the password: after the client's
 * handshake response it asks, with an AuthSwitchRequest, for a plugin that can reveal it — `caching_sha2_password`
 * followed by "perform full authentication" (0x04), `sha256_password`, or `mysql_clear_password` — hands out its own
 * RSA public key to a client that asks for one, and tries to read the password out of every answer (as clear text,
 * and decrypted with the private key it holds). It records every byte it received.
 *
 * Written on raw sockets: mysql2's server helpers always finish the login after one answer and cannot switch plugins.
 * Packets follow the MySQL client/server protocol (Protocol::HandshakeV10, Protocol::AuthSwitchRequest,
 * Protocol::AuthMoreData, OK and ERR packets).
 */
import { constants, type KeyObject, privateDecrypt, randomBytes } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';

/** The login method the impostor switches the client to. */
export type ImpostorPlugin = 'caching_sha2_password' | 'sha256_password' | 'mysql_clear_password';

/** Options of {@link startImpostorFe}. */
export interface ImpostorOptions {
  readonly plugin: ImpostorPlugin;
  /** The key pair the server uses: its public half is sent to a client that asks for the server's key. */
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  /** The password it accepts (an OK packet follows a recovered password equal to it). */
  readonly password: string;
  /** The plugin named in the greeting (StarRocks names mysql_native_password). */
  readonly greetingPlugin?: string;
}

/** A running impostor. */
export interface ImpostorFe {
  readonly host: string;
  readonly port: number;
  /** Every byte received from clients, in order. */
  received(): Buffer;
  /** What happened, in order: `auth-switch-sent`, `full-auth-requested`, `server-key-sent`, `ok-sent`, `error-sent`. */
  readonly stages: string[];
  /** Passwords read out of clients' answers. */
  readonly recoveredPasswords: string[];
  /** Resolves once every connection accepted so far has closed. */
  connectionsClosed(): Promise<void>;
  close(): Promise<void>;
}

const CAPABILITIES = 0x000ba20f; // PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH, …, as the emulator advertises
const COM_QUIT = 0x01;
const COM_QUERY = 0x03;

function packet(sequenceId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header.writeUInt8(sequenceId & 0xff, 3);
  return Buffer.concat([header, payload]);
}

function greeting(scramble: Buffer, pluginName: string): Buffer {
  const fixed = Buffer.alloc(31);
  fixed.writeUInt32LE(7, 0); // connection id
  scramble.copy(fixed, 4, 0, 8); // auth-plugin-data part 1, then a filler byte
  fixed.writeUInt16LE(CAPABILITIES & 0xffff, 13);
  fixed.writeUInt8(33, 15); // utf8_general_ci
  fixed.writeUInt16LE(0x0002, 16); // SERVER_STATUS_AUTOCOMMIT
  fixed.writeUInt16LE(CAPABILITIES >>> 16, 18);
  fixed.writeUInt8(21, 20); // auth-plugin-data length; ten reserved zero bytes follow
  return Buffer.concat([
    Buffer.from([10]), // protocol version
    Buffer.from('5.1.0\0', 'latin1'),
    fixed,
    scramble.subarray(8, 20),
    Buffer.from([0]),
    Buffer.from(`${pluginName}\0`, 'latin1'),
  ]);
}

function okPacket(): Buffer {
  return Buffer.from([0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]);
}

function errorPacket(message: string): Buffer {
  const head = Buffer.from([0xff, 0x15, 0x04]); // 1045
  return Buffer.concat([head, Buffer.from('#28000', 'latin1'), Buffer.from(message, 'utf8')]);
}

/** Reads whole packets off a socket, one `next()` at a time; `undefined` once the socket closed. */
function packetReader(socket: Socket, record: (chunk: Buffer) => void) {
  let buffered = Buffer.alloc(0);
  let closed = false;
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    record(chunk);
    buffered = Buffer.concat([buffered, chunk]);
    waiting?.();
  });
  socket.on('close', () => {
    closed = true;
    waiting?.();
  });
  socket.on('error', () => undefined);
  return async function next(): Promise<{ sequenceId: number; payload: Buffer } | undefined> {
    for (;;) {
      if (buffered.length >= 4) {
        const length = buffered.readUIntLE(0, 3);
        if (buffered.length >= 4 + length) {
          const sequenceId = buffered.readUInt8(3);
          const payload = Buffer.from(buffered.subarray(4, 4 + length));
          buffered = buffered.subarray(4 + length);
          return { sequenceId, payload };
        }
      }
      if (closed) return undefined;
      await new Promise<void>((resolve) => {
        waiting = resolve;
      });
      waiting = undefined;
    }
  };
}

/** Every reading of an answer that could hold the password: as clear text, and RSA-decrypted then un-XORed. */
function passwordsIn(answer: Buffer, scramble: Buffer, privateKey: KeyObject): string[] {
  const found = [answer.toString('utf8').replace(/\0$/, '')];
  try {
    const mixed = privateDecrypt(
      { key: privateKey, oaepHash: 'sha1', padding: constants.RSA_PKCS1_OAEP_PADDING },
      answer,
    );
    const plain = Buffer.from(
      mixed.map((byte, index) => byte ^ (scramble[index % scramble.length] as number)),
    );
    found.push(plain.toString('utf8').replace(/\0$/, ''));
  } catch {
    // not encrypted to this key
  }
  return found;
}

/** Starts an impostor on 127.0.0.1 and a free port. */
export async function startImpostorFe(options: ImpostorOptions): Promise<ImpostorFe> {
  const chunks: Buffer[] = [];
  const stages: string[] = [];
  const recoveredPasswords: string[] = [];
  const open = new Set<Socket>();
  let waiters: (() => void)[] = [];

  const converse = async (socket: Socket): Promise<void> => {
    const next = packetReader(socket, (chunk) => chunks.push(chunk));
    const scramble = Buffer.from(randomBytes(20).map((byte) => (byte === 0 ? 1 : byte)));
    socket.write(packet(0, greeting(scramble, options.greetingPlugin ?? 'mysql_native_password')));
    const response = await next();
    if (response === undefined) return;
    let sequenceId = response.sequenceId + 1;
    const send = (payload: Buffer): void => {
      socket.write(packet(sequenceId, payload));
      sequenceId += 1;
    };
    send(
      Buffer.concat([
        Buffer.from([0xfe]),
        Buffer.from(`${options.plugin}\0`, 'latin1'),
        scramble,
        Buffer.from([0]),
      ]),
    );
    stages.push('auth-switch-sent');
    let answer = await next();
    if (answer === undefined) return;
    sequenceId = answer.sequenceId + 1;
    if (options.plugin === 'caching_sha2_password') {
      send(Buffer.from([0x01, 0x04]));
      stages.push('full-auth-requested');
      answer = await next();
      if (answer === undefined) return;
      sequenceId = answer.sequenceId + 1;
    }
    const keyRequest = options.plugin === 'caching_sha2_password' ? 0x02 : 0x01;
    if (options.plugin !== 'mysql_clear_password' && answer.payload.equals(Buffer.from([keyRequest]))) {
      send(Buffer.concat([Buffer.from([0x01]), Buffer.from(options.publicKeyPem, 'latin1')]));
      stages.push('server-key-sent');
      answer = await next();
      if (answer === undefined) return;
      sequenceId = answer.sequenceId + 1;
    }
    const recovered = passwordsIn(answer.payload, scramble, options.privateKey).filter(
      (candidate) => candidate === options.password,
    );
    recoveredPasswords.push(...recovered);
    if (recovered.length > 0) {
      send(okPacket());
      stages.push('ok-sent');
      for (let command = await next(); command !== undefined; command = await next()) {
        if (command.payload[0] === COM_QUIT) socket.end();
        // Every statement (the session's time-zone pin) is answered OK, as an FE would.
        if (command.payload[0] === COM_QUERY) {
          sequenceId = command.sequenceId + 1;
          send(okPacket());
        }
      }
      return;
    }
    send(errorPacket("Access denied for user 'backup'"));
    stages.push('error-sent');
    socket.end();
  };

  const server = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => {
      open.delete(socket);
      if (open.size === 0) {
        for (const wake of waiters) wake();
        waiters = [];
      }
    });
    converse(socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    received: () => Buffer.concat(chunks),
    stages,
    recoveredPasswords,
    connectionsClosed: () =>
      open.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
          }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
