import { onRuntimeReset, runtimeClock, runtimeEnv } from '../shared/runtime/context.ts';
import { dynamoDocumentClient } from '../shared/runtime/dynamo.ts';
import { createPauseStore, type PauseStore } from './pause-store.ts';

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
