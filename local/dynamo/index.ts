/** The local DynamoDB: embedded dynalite, a DocumentClient for local endpoints, and table bootstrap. */
export { createDocumentClient } from './client.ts';
export {
  DYNAMO_DATA_DIR,
  DYNAMO_ENDPOINT_FILE,
  DYNAMO_LOCK_DIR,
  type EmbeddedDynamo,
  publishedEndpoint,
  type StateDirHolder,
  startEmbeddedDynamo,
  stateDirHolder,
} from './embedded.ts';
export { ensureTables } from './ensure-tables.ts';
export { StateDirBusyError, TableSchemaMismatchError } from './errors.ts';
