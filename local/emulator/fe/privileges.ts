/**
 * The scenario's privilege model (privilege/PrivilegeType.java) and StarRocks' access-denied texts.
 *
 * Checks follow sql/analyzer/AuthorizerStmtVisitor.java: they run after the analyzer (so a missing database is
 * reported before a missing privilege) and before execution. Two text styles exist:
 * - `checker-v2` (PrivilegeCheckerV2, 3.0): ErrorReport texts — ERR_SPECIFIC_ACCESS_DENIED_ERROR for system
 *   privileges, ERR_TABLEACCESS_DENIED_ERROR for table ones (`EXPORT command denied to user 'u'@'ip' for table 't'`),
 *   ERR_DB_ACCESS_DENIED for database ones; thrown as SemanticExceptions;
 * - `access-denied-exception` (AccessDeniedException.reportAccessDenied, ERR_ACCESS_DENIED 5203):
 *   `Access denied; you need (at least one of) the <P> privilege(s) on <TYPE>[ <object>] for this operation.
 *   Please ask the admin to grant permission(s) or try activating existing roles using <set [default] role>.
 *   Current role(s): <roles|NONE>. Inactivated role(s): NONE.`
 * Which release switched from the first to the second is UNVERIFIED (the 3.3 profile uses the first).
 */
import type { VersionProfile } from '../profiles.ts';
import type { ScenarioUser, UserPrivileges } from '../scenario.ts';
import { FeError } from './errors.ts';
import type { Session } from './session.ts';

/** The privileges the emulator checks. REPOSITORY and EXPORT are their own grants; the rest come with `admin`. */
export type Privilege =
  | 'REPOSITORY'
  | 'EXPORT'
  | 'CREATE DATABASE'
  | 'CREATE TABLE'
  | 'INSERT'
  | 'SELECT'
  | 'DROP'
  | 'ALTER'
  | 'OPERATE';

/** What a privilege is checked on. */
export type PrivilegeObject =
  | { readonly type: 'SYSTEM' }
  | { readonly type: 'CATALOG'; readonly name: string }
  | { readonly type: 'DATABASE'; readonly name: string }
  | { readonly type: 'TABLE'; readonly database: string; readonly name: string };

/** The internal catalog's name (InternalCatalog.DEFAULT_INTERNAL_CATALOG_NAME). */
export const DEFAULT_CATALOG = 'default_catalog';

function exportGranted(grant: UserPrivileges['export'], database: string, table: string): boolean {
  if (grant === 'all') return true;
  return (grant ?? []).some((entry) => {
    const dot = entry.indexOf('.');
    return dot === -1
      ? entry === database
      : entry.slice(0, dot) === database && entry.slice(dot + 1) === table;
  });
}

/** Answers "may this session do that" for the scenario's users, and builds the refusal StarRocks would send. */
export class AccessControl {
  private readonly users: ReadonlyMap<string, ScenarioUser>;

  constructor(
    users: readonly ScenarioUser[],
    private readonly profile: VersionProfile,
  ) {
    this.users = new Map(users.map((user) => [user.name, user]));
  }

  /** True when the session's user holds `privilege` on `object` (root and users without `privileges` hold all). */
  allows(session: Session, privilege: Privilege, object: PrivilegeObject): boolean {
    const granted = session.user === 'root' ? undefined : this.users.get(session.user)?.privileges;
    if (granted === undefined) return true;
    if (privilege === 'REPOSITORY') return granted.repository === true;
    if (privilege === 'EXPORT') {
      return object.type === 'TABLE' && exportGranted(granted.export, object.database, object.name);
    }
    return granted.admin === true;
  }

  /** @throws FeError with StarRocks' access-denied text unless the session holds the privilege */
  require(session: Session, privilege: Privilege, object: PrivilegeObject): void {
    if (!this.allows(session, privilege, object)) throw this.denial(session, privilege, object);
  }

  private denial(session: Session, privilege: Privilege, object: PrivilegeObject): FeError {
    if (this.profile.accessDenied === 'checker-v2') return checkerV2Denial(session, privilege, object);
    const roles = this.users.get(session.user)?.roles ?? [];
    const target = object.type === 'SYSTEM' ? '' : ` ${object.name}`;
    const detail =
      `Access denied; you need (at least one of) the ${privilege} privilege(s) on ${object.type}${target} ` +
      'for this operation. Please ask the admin to grant permission(s) or try activating existing roles using ' +
      `<set [default] role>. Current role(s): ${roles.length === 0 ? 'NONE' : `[${roles.join(', ')}]`}. ` +
      'Inactivated role(s): NONE.';
    // An ErrorReportException, not a SemanticException: no analyzer wrapper (UNVERIFIED for wrapping builds).
    return new FeError(detail, { phase: 'authorizer', errorCode: 'ERR_ACCESS_DENIED' });
  }
}

function checkerV2Denial(session: Session, privilege: Privilege, object: PrivilegeObject): FeError {
  const user = session.user;
  switch (object.type) {
    case 'SYSTEM':
      return new FeError(
        `Access denied; you need (at least one of) the ${privilege} privilege(s) for this operation`,
        {
          phase: 'analyzer',
          errorCode: 'ERR_SPECIFIC_ACCESS_DENIED_ERROR',
        },
      );
    case 'TABLE':
      // PrivilegeCheckerV2.checkTableAction(context, db, table, action) passes the bare table name.
      return new FeError(
        `${privilege} command denied to user '${user}'@'${session.remoteIp}' for table '${object.name}'`,
        {
          phase: 'analyzer',
          errorCode: 'ERR_TABLEACCESS_DENIED_ERROR',
        },
      );
    case 'DATABASE':
      return new FeError(`Access denied for user '${user}' to database '${object.name}'`, {
        phase: 'analyzer',
        errorCode: 'ERR_DB_ACCESS_DENIED',
      });
    case 'CATALOG':
      // UNVERIFIED: ERR_CATALOG_ACCESS_DENIED's text.
      return new FeError(`Access denied for user '${user}' to catalog '${object.name}'`, {
        phase: 'analyzer',
      });
  }
}
