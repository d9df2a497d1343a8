/** Expressions the emulator's SELECT / WHERE support understands. */
export type Expr =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: string }
  | { readonly type: 'null' }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'column'; readonly parts: readonly string[] }
  | { readonly type: 'variable'; readonly name: string }
  | {
      readonly type: 'function';
      readonly name: string;
      readonly args: readonly Expr[];
      readonly star: boolean;
    }
  | {
      readonly type: 'comparison';
      readonly op: '=' | '!=' | '<>' | '<' | '>' | '<=' | '>=' | '<=>';
      readonly left: Expr;
      readonly right: Expr;
    }
  | { readonly type: 'in'; readonly not: boolean; readonly value: Expr; readonly list: readonly Expr[] }
  | { readonly type: 'like'; readonly not: boolean; readonly value: Expr; readonly pattern: Expr }
  | { readonly type: 'is-null'; readonly not: boolean; readonly value: Expr }
  | { readonly type: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly type: 'not'; readonly value: Expr };

/** One item of a SELECT list; `label` is the column name the client sees (alias, else the source text). */
export type SelectItem =
  | { readonly star: true }
  | { readonly star: false; readonly expr: Expr; readonly label: string };

/** `SELECT …` (constants, functions, system variables, or a mini query over information_schema.tables). */
export interface SelectStatement {
  readonly kind: 'SELECT';
  readonly items: readonly SelectItem[];
  readonly from?: { readonly parts: readonly string[] };
  readonly where?: Expr;
  readonly orderBy?: readonly { readonly expr: Expr; readonly descending: boolean }[];
  readonly limit?: number;
}

/** One object of a BACKUP `ON (…)` clause. Plain names (the ≤ 3.3 form) are `TABLE` objects. */
export interface BackupObject {
  readonly type: 'TABLE' | 'VIEW' | 'MATERIALIZED_VIEW' | 'FUNCTION';
  /** `ALL TABLES`, `ALL VIEWS`, … (3.4+). */
  readonly all: boolean;
  readonly name?: string;
  readonly partitions?: readonly string[];
  readonly temporaryPartitions?: boolean;
  readonly alias?: string;
}

/** `BACKUP [DATABASE db] SNAPSHOT [db.]label TO repo [ON (…)] [PROPERTIES (…)]`, identifiers decoded. */
export interface BackupStatement {
  readonly kind: 'BACKUP';
  /** From `DATABASE db` (3.4+) or the `db.` qualifier of the label; absent means the session database. */
  readonly database?: string;
  readonly label: string;
  readonly repository: string;
  readonly on?: readonly BackupObject[];
  /** In the order written; a repeated key keeps its last value. */
  readonly properties: ReadonlyMap<string, string>;
}

/**
 * `RESTORE SNAPSHOT [db.]label FROM repo [DATABASE src [AS dst]] [ON (…)] [PROPERTIES (…)]`
 * (the DATABASE clause and typed ON objects from 3.4), identifiers decoded.
 */
export interface RestoreStatement {
  readonly kind: 'RESTORE';
  /** The `db.` qualifier of the label. */
  readonly database?: string;
  readonly label: string;
  readonly repository: string;
  /** `DATABASE src`: the database the snapshot was taken of (3.4+). */
  readonly sourceDatabase?: string;
  /** `AS dst`: the database to restore into (3.4+). */
  readonly targetDatabase?: string;
  /** Tables to restore, with `AS alias` for a new name; absent means every table of the snapshot. */
  readonly on?: readonly BackupObject[];
  /** In the order written; a repeated key keeps its last value. */
  readonly properties: ReadonlyMap<string, string>;
}

/** One `name = value` of a SET statement (`SET [GLOBAL|SESSION] x = v`, `SET @@global.x = v`). */
export interface VariableAssignment {
  readonly scope: 'GLOBAL' | 'SESSION';
  /** Lower case, without `@@` or a scope prefix. */
  readonly name: string;
  /** A string, number or bare word (`DEFAULT`, `ON`), as written; expressions are not evaluated. */
  readonly value: string;
}

/** Every statement {@link parseStatements} returns. */
export type Statement =
  | SelectStatement
  | BackupStatement
  | RestoreStatement
  | { readonly kind: 'USE'; readonly database: string }
  | {
      readonly kind: 'SET';
      /** The variable assignments; empty for forms the emulator accepts without effect (`SET NAMES …`). */
      readonly assignments: readonly VariableAssignment[];
    }
  | { readonly kind: 'SHOW_DATABASES' }
  | { readonly kind: 'SHOW_TABLES'; readonly full: boolean; readonly database?: string }
  | { readonly kind: 'SHOW_DATA'; readonly database?: string; readonly table?: string }
  | {
      readonly kind: 'SHOW_PARTITIONS';
      readonly temporary: boolean;
      readonly database?: string;
      readonly table: string;
    }
  | { readonly kind: 'SHOW_CREATE_TABLE'; readonly database?: string; readonly table: string }
  | { readonly kind: 'SHOW_REPOSITORIES' }
  | { readonly kind: 'SHOW_BACKUP'; readonly database?: string }
  | { readonly kind: 'SHOW_SNAPSHOT'; readonly repository: string; readonly where?: Expr }
  | { readonly kind: 'CANCEL_BACKUP'; readonly database?: string }
  | { readonly kind: 'SHOW_RESTORE'; readonly database?: string }
  | { readonly kind: 'CANCEL_RESTORE'; readonly database?: string }
  | {
      readonly kind: 'DROP_SNAPSHOT';
      readonly label: string;
      readonly repository: string;
      readonly force: boolean;
    }
  | { readonly kind: 'CREATE_DATABASE'; readonly database: string; readonly ifNotExists: boolean }
  | {
      readonly kind: 'DROP_DATABASE';
      readonly database: string;
      readonly ifExists: boolean;
      readonly force: boolean;
    }
  | {
      readonly kind: 'DROP_PARTITION';
      readonly database?: string;
      readonly table: string;
      readonly partition: string;
      readonly ifExists: boolean;
      readonly force: boolean;
    }
  | { readonly kind: 'ADMIN_SHOW_CONFIG'; readonly pattern?: string }
  | {
      readonly kind: 'ADMIN_SET_AUTOMATED_CLUSTER_SNAPSHOT';
      readonly on: boolean;
      readonly storageVolume?: string;
    };
