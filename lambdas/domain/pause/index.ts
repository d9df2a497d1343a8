/** Pauses with a reason (per cluster or per schedule), kept in the catalog table. */
export {
  createPauseStore,
  EXPIRED_PAUSE_RETENTION_DAYS,
  isPauseActive,
  PAUSE_REASON_MAX_CHARS,
  type Pause,
  type PauseStore,
  type PauseStoreDeps,
  pauseKey,
  pausePartitionKey,
} from './pause-store.ts';
export {
  createPausedSlotLog,
  PAUSED_SLOT_RETENTION_DAYS,
  type PausedSlot,
  type PausedSlotLog,
} from './paused-slots.ts';
