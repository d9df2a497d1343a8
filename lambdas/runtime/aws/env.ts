import { parseEnv, type RuntimeEnv } from '../env.ts';

let env: RuntimeEnv | undefined;

/** The function's environment, parsed on first use and kept for the cold start. */
export function awsEnv(): RuntimeEnv {
  env ??= parseEnv(process.env);
  return env;
}
