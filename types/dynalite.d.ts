/**
 * dynalite ships no type declarations. This covers the surface we use: the factory returns a Node
 * http(s) server whose `close` also closes the LevelDB store behind it.
 */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  /** Options of the dynalite factory (see dynalite's index.js). */
  export interface DynaliteOptions {
    /** LevelDB directory; in memory when omitted. */
    path?: string;
    /** Milliseconds a table stays CREATING (default 500). */
    createTableMs?: number;
    /** Milliseconds a table stays DELETING (default 500). */
    deleteTableMs?: number;
    /** Milliseconds a table stays UPDATING (default 500). */
    updateTableMs?: number;
    /** Largest item in KB (default 400). */
    maxItemSizeKb?: number;
    ssl?: boolean;
    verbose?: boolean;
    debug?: boolean;
  }

  /** Creates a DynamoDB-compatible HTTP server; call `listen` to start it. */
  export default function dynalite(options?: DynaliteOptions): Server;
}
