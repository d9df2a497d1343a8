// A real S3-compatible server (s3rver) in its own process, for the S3 prune tests.
// It must run with `node --openssl-legacy-provider`: s3rver 3.7.1 encrypts ListObjectsV2 continuation tokens with
// DES, which OpenSSL 3 (Node 17+) only offers through the legacy provider.
// argv: <directory> <bucket>…; prints {"port": n} once listening; exits when stdin closes (the parent went away).
import S3rver from 's3rver';

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
