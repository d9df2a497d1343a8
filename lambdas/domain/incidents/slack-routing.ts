/**
 * Where the incident notifier posts: the Slack webhook (as every alert) and, when configured, the Web API with a bot
 * token (so a recovery can answer in its alert's thread). Pure: the host reads the secrets (deployed: Secrets
 * Manager, `slack.botTokenSecretArn` as plain text or JSON with a `token` key; locally: environment variables).
 */

/** The Slack settings that reach the notifier (ARNs and a channel, never a secret). */
export interface SlackRouting {
  readonly webhookSecretArn?: string | undefined;
  readonly botTokenSecretArn?: string | undefined;
  readonly channel?: string | undefined;
}

/** The webhook secret incidents go to: the cluster's own Slack section's, else the deployment's. */
export function incidentWebhookSecretArn(
  routing: SlackRouting | undefined,
  deploymentWebhookSecretArn: string | undefined,
): string | undefined {
  return routing?.webhookSecretArn ?? deploymentWebhookSecretArn;
}

/** The Web API route (bot token secret and channel), or undefined unless both are configured. */
export function webApiRoute(
  routing: SlackRouting | undefined,
): { readonly botTokenSecretArn: string; readonly channel: string } | undefined {
  const botTokenSecretArn = routing?.botTokenSecretArn;
  const channel = routing?.channel;
  if (botTokenSecretArn === undefined || channel === undefined) return undefined;
  return { botTokenSecretArn, channel };
}
