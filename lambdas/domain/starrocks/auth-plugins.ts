/**
 * Which MySQL login methods the client answers, and how.
 *
 * A StarRocks FE names `mysql_native_password` in its handshake, a challenge-response that never puts the password
 * on the wire, and switches a client that answered with another plugin back to the plugin of the user: native for
 * native users, `mysql_clear_password` for LDAP users (fe-core `mysql/MysqlHandshakePacket.java`;
 * `mysql/MysqlProto.java` `switchAuthPlugin`; `mysql/privilege/AuthPlugin.java` `covertFromServerToClient` maps
 * `authentication_ldap_simple` to `mysql_clear_password`). It never asks for `sha256_password` or
 * `caching_sha2_password`. mysql2's built-in answers hand the password over: `mysql_clear_password` sends it as is,
 * and `sha256_password` or a `caching_sha2_password` "perform full authentication" (0x04) send it in clear over TLS,
 * or else ask the server for its RSA key and encrypt the password to whatever key comes back — which an impostor
 * owns.
 *
 * So, over plaintext or over TLS whose certificate is not verified, every plugin but `mysql_native_password` is
 * refused with {@link StarRocksInsecureAuthError} before anything is sent, unless a server RSA key is pinned: then
 * `caching_sha2_password` and `sha256_password` may run, encrypting to the pinned key only and never asking the
 * server for its key. Over verified TLS the three plugins may send the password, as MySQL's own client does.
 */
import { constants, createHash, createPublicKey, type KeyObject, publicEncrypt } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import { StarRocksInsecureAuthError } from '#domain/errors.ts';

/** What decides whether a login method may reveal the password. */
export interface AuthPolicy {
  /** TLS is on and the FE's certificate is verified (`rejectUnauthorized` not false). */
  readonly verifiedTls: boolean;
  /** A pinned RSA public key (PEM) of the server, for `caching_sha2_password` / `sha256_password` without TLS. */
  readonly serverPublicKey?: string | undefined;
  /** host:port, for messages. */
  readonly endpoint: string;
}

/** mysql2's plugin contract: a factory per login, returning the answer to each AuthSwitch / AuthMoreData packet. */
type PluginAnswer = Buffer | null;
type AuthPluginFactory = (context: {
  connection: { config: { password?: string }; stream?: unknown };
}) => (data: Buffer) => PluginAnswer;

/** caching_sha2_password's AuthMoreData status bytes (MySQL sql/auth/sha2_password.cc). */
const FAST_AUTH_SUCCESS = 0x03;
const PERFORM_FULL_AUTHENTICATION = 0x04;
const SCRAMBLE_LENGTH = 20;

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The caching_sha2_password scramble answer: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble). */
function sha2Token(password: string, scramble: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const stage1 = sha256(Buffer.from(password, 'utf8'));
  const stage3 = sha256(sha256(stage1), scramble);
  return Buffer.from(stage1.map((byte, index) => byte ^ (stage3[index] as number)));
}

/** The password, NUL-terminated and XORed with the scramble, RSA-OAEP-encrypted to `key` (MySQL's RSA exchange). */
function encryptToKey(password: string, scramble: Buffer, key: KeyObject): Buffer {
  const plain = Buffer.from(`${password}\0`, 'utf8');
  const mixed = Buffer.from(plain.map((byte, index) => byte ^ (scramble[index % scramble.length] as number)));
  return publicEncrypt({ key, oaepHash: 'sha1', padding: constants.RSA_PKCS1_OAEP_PADDING }, mixed);
}

function clearPassword(password: string): Buffer {
  return Buffer.from(`${password}\0`, 'utf8');
}

/**
 * Reads a pinned key; throws RangeError (config validation reports it first, with its field path) for anything
 * that is not an RSA public key.
 */
export function parseServerPublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'rsa') {
    throw new RangeError(`the pinned server key is of type ${key.asymmetricKeyType ?? 'unknown'}, not RSA`);
  }
  return key;
}

/**
 * The `authPlugins` option for mysql2: answers for every plugin that could reveal the password. Registering them
 * also stops mysql2 from answering a handshake that names one of them directly: it then answers with
 * `mysql_native_password`, and the server has to ask for its plugin by an AuthSwitchRequest, which lands here.
 */
export function authPluginsFor(policy: AuthPolicy): Record<string, AuthPluginFactory> {
  const pinned =
    policy.serverPublicKey === undefined ? undefined : parseServerPublicKey(policy.serverPublicKey);
  const refuse = (plugin: string, why: string): StarRocksInsecureAuthError =>
    new StarRocksInsecureAuthError(
      `${policy.endpoint} asked for ${plugin} authentication, which would ${why}; refused, nothing was sent. ` +
        (plugin === 'mysql_clear_password'
          ? 'StarRocks asks for it for LDAP users: log in as a native (password) user, or turn on TLS with a ' +
            'verified certificate (tls: { ca: … })'
          : 'A StarRocks FE never asks for it: check that host and port reach the FE, or turn on TLS with a ' +
            'verified certificate (tls: { ca: … })'),
    );
  const secure = (stream: unknown): boolean =>
    policy.verifiedTls && stream instanceof TLSSocket && stream.encrypted === true;

  const cachingSha2: AuthPluginFactory = ({ connection }) => {
    const password = connection.config.password ?? '';
    let scramble: Buffer | undefined;
    return (data) => {
      if (scramble === undefined) {
        if (!secure(connection.stream) && pinned === undefined) {
          throw refuse('caching_sha2_password', 'send the password without verified TLS');
        }
        scramble = Buffer.from(data.subarray(0, SCRAMBLE_LENGTH));
        return sha2Token(password, scramble);
      }
      if (data.length === 1 && data[0] === FAST_AUTH_SUCCESS) return null;
      if (data.length === 1 && data[0] === PERFORM_FULL_AUTHENTICATION) {
        if (secure(connection.stream)) return clearPassword(password);
        if (pinned !== undefined) return encryptToKey(password, scramble, pinned);
      }
      // Anything else (a server key offered unasked, a second full-authentication request) is refused.
      throw refuse('caching_sha2_password', 'encrypt the password to a key the server chose');
    };
  };

  const sha256Password: AuthPluginFactory = ({ connection }) => {
    const password = connection.config.password ?? '';
    let answered = false;
    return (data) => {
      if (answered) throw refuse('sha256_password', 'encrypt the password to a key the server chose');
      answered = true;
      if (secure(connection.stream)) return clearPassword(password);
      if (pinned !== undefined) {
        return encryptToKey(password, Buffer.from(data.subarray(0, SCRAMBLE_LENGTH)), pinned);
      }
      throw refuse('sha256_password', 'send the password without verified TLS');
    };
  };

  const clearText: AuthPluginFactory = ({ connection }) => {
    const password = connection.config.password ?? '';
    return () => {
      if (secure(connection.stream)) return clearPassword(password);
      throw refuse('mysql_clear_password', 'send the password as plain text without verified TLS');
    };
  };

  return {
    caching_sha2_password: cachingSha2,
    sha256_password: sha256Password,
    mysql_clear_password: clearText,
  };
}
