/**
 * The workflow harness (real emulator over TCP, real dynalite, Slack sink, virtual clock, the local runner on the
 * real ASL) plus the FreshnessCheck state machine run as `sr-backup status --notify` runs it (the local runner, the
 * real handlers), and optionally a Slack Web API fake for threaded recoveries.
 */
import { createIncidentStore, type IncidentStore } from '#domain/incidents/incident-store.ts';
import {
  type LocalFreshnessCheckResult,
  runFreshnessCheckLocally,
} from '#local/cli/commands/freshness-runner.ts';
import type { EmulatorScenario } from '#local/emulator/index.ts';
import {
  type ClusterOverrides,
  startWorkflowHarness,
  type WorkflowHarness,
} from '#test/support/workflow-harness.ts';
import { type SlackWebApiFake, startSlackWebApiFake } from './slack-web-api-fake.ts';

/** The workflow harness with the checker. */
export interface TrustHarness extends WorkflowHarness {
  /** Set when the harness was started with `webApi: true`. */
  readonly webApi: SlackWebApiFake | undefined;
  readonly incidents: IncidentStore;
  /** One hourly FreshnessCheck execution (the checker, then the notifier) at the clock's current time. */
  check(options?: { cluster?: ClusterOverrides }): Promise<LocalFreshnessCheckResult>;
}

/** Starts a harness; `cluster` overrides apply to every run and check unless a call overrides them again. */
export async function startTrustHarness(
  scenario: EmulatorScenario,
  options: { cluster?: ClusterOverrides; webApi?: boolean } = {},
): Promise<TrustHarness> {
  const base = await startWorkflowHarness(scenario);
  const webApi = options.webApi ? await startSlackWebApiFake() : undefined;
  const defaults = options.cluster ?? {};
  const incidents = createIncidentStore({
    client: base.dynamo.client,
    tableName: base.dynamo.catalogTableName,
    clock: base.clock,
  });
  return {
    ...base,
    webApi,
    incidents,
    config: (cluster = {}) => base.config({ ...defaults, ...cluster }),
    run: (runOptions = {}) => base.run({ ...runOptions, cluster: { ...defaults, ...runOptions.cluster } }),
    check: (checkOptions = {}) =>
      runFreshnessCheckLocally({
        config: base.config({ ...defaults, ...checkOptions.cluster }),
        cluster: base.clusterName,
        tables: {
          endpoint: base.dynamo.endpoint,
          locksTableName: base.dynamo.locksTableName,
          catalogTableName: base.dynamo.catalogTableName,
        },
        clock: base.clock,
        retryOverrideMs: 1,
        secretEnv: {
          SLACK_WEBHOOK_URL: base.slack.url,
          STARROCKS_PASSWORD: '',
          ...(webApi
            ? { SLACK_BOT_TOKEN: webApi.token, SLACK_API_URL: webApi.baseUrl, SLACK_CHANNEL: '#backups' }
            : {}),
        },
      }),
    async close() {
      await webApi?.close();
      await base.close();
    },
  };
}

/** The text of every message the webhook sink accepted since `from` (index). */
export function sinkTexts(harness: WorkflowHarness, from = 0): string[] {
  return harness.slack.messages.slice(from).map((message) => (message.body as { text?: string }).text ?? '');
}
