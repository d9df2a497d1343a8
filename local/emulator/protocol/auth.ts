import { createHash, timingSafeEqual } from 'node:crypto';

const sha1 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/**
 * Checks a mysql_native_password response: the client sends SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))),
 * or nothing for an empty password.
 */
export function verifyNativePassword(password: string, scramble: Buffer, token: Buffer | undefined): boolean {
  const received = token ?? Buffer.alloc(0);
  if (password === '') return received.length === 0;
  if (received.length !== 20) return false;
  const stage1 = sha1(Buffer.from(password, 'utf8'));
  const stage2 = sha1(stage1);
  const mask = sha1(scramble, stage2);
  const expected = Buffer.alloc(20);
  for (let index = 0; index < 20; index++)
    expected[index] = (stage1[index] as number) ^ (mask[index] as number);
  return timingSafeEqual(expected, received);
}
