import { Logger } from '@aws-lambda-powertools/logger';

/** A function's structured JSON logger (stdout, which Lambda ships to the function's log group). */
export function awsLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}
