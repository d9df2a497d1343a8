/**
 * The CDK app: `npx cdk deploy -c config=backup.config.yaml [-c alarmEmail=… -c vpcId=… …]`.
 * Loads and validates the configuration, builds the stack, and runs cdk-nag (AwsSolutions) on it:
 * an unacknowledged finding fails the synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '#domain/errors.ts';
import { type DeploySettings, readDeploySettings } from './app-context.ts';
import { BackupSchedulerStack } from './backup-scheduler-stack.ts';

const app = new App();

let settings: DeploySettings;
try {
  settings = readDeploySettings((key) => app.node.tryGetContext(key));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // The message names the file and the field path; a stack trace would only bury it.
  console.error(error.message);
  process.exit(1);
}

BackupSchedulerStack.fromSettings(app, settings);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
