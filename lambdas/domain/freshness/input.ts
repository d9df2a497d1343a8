import {
  type BackupConfig,
  clusterSettingsSchema,
  scheduleSchema,
  slackSchema,
  toClusterSettings,
} from '#domain/config/index.ts';
import { z } from '#domain/zod.ts';

/**
 * What EventBridge Scheduler sends the freshness checker, once per cluster and hour: the cluster's settings (as the
 * nightly run gets them: secret ARNs, never secrets), all of its schedules (freshness is judged against every
 * enabled one, coverage against all), and the Slack settings (ARNs and the channel) the incident notifier needs.
 */
export const checkFreshnessInputSchema = z.looseObject({
  cluster: clusterSettingsSchema,
  schedules: z.array(scheduleSchema).max(200),
  slack: slackSchema.default({}),
});

/** The checker's input. */
export type CheckFreshnessInput = z.output<typeof checkFreshnessInputSchema>;

/** The Slack settings that travel with the check (ARNs and a channel only). */
export type SlackSettings = NonNullable<CheckFreshnessInput['slack']>;

/**
 * The input of one cluster's hourly check, as the CDK schedule carries it and `sr-backup status --notify` sends
 * it: the cluster's settings (with `poll` and `lock`), its schedules, and the Slack section (ARNs and the channel;
 * always present, possibly empty, because NotifyIncidents reads it by path).
 */
export function freshnessCheckInputFor(config: BackupConfig, clusterName: string): CheckFreshnessInput {
  const schedules = config.clusters.find((cluster) => cluster.name === clusterName)?.schedules ?? [];
  return {
    cluster: toClusterSettings(config, clusterName),
    schedules: structuredClone(schedules),
    slack: { ...config.slack },
  };
}
