/**
 * X-Ray tracing of the AWS SDK clients, through Powertools Tracer: each call a captured client makes becomes a
 * subsegment of the invocation's trace. Outside Lambda (tests, local runs) Powertools turns tracing off and
 * capturing changes nothing.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';

let tracer: Promise<Tracer> | undefined;

/**
 * The process's one Tracer, loaded when the first client is built rather than at cold start: the X-Ray SDK it
 * wraps takes about as long to evaluate as the rest of a function's own code.
 */
export function loadTracer(): Promise<Tracer> {
  tracer ??= import('@aws-lambda-powertools/tracer').then(({ Tracer }) => new Tracer());
  return tracer;
}

/** `client`, captured so that X-Ray records its calls (the same object, with the tracer's middleware added). */
export async function traced<Client>(client: Client): Promise<Client> {
  return (await loadTracer()).captureAWSv3Client(client);
}
