import { createPauseStore, type PauseStore } from '#domain/pause/pause-store.ts';
import { onRuntimeReset, runtimeClock, runtimeEnv } from './context.ts';
import { dynamoDocumentClient } from './dynamo.ts';

let pauseStore: PauseStore | undefined;

onRuntimeReset(() => {
  pauseStore = undefined;
});

/** The pause store over the catalog table, built once per cold start (or local reconfiguration). */
export function pauses(): PauseStore {
  pauseStore ??= createPauseStore({
    client: dynamoDocumentClient(),
    tableName: runtimeEnv().catalogTableName,
    clock: runtimeClock(),
  });
  return pauseStore;
}
