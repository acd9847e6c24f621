/**
 * SMART App Launch v2 scopes for the citizen's own record: `patient/<Type>.<permissions>`,
 * the permissions a subset of c r u d s in that order (`.rs`, `.c`, `.cruds`); `patient/*.<…>`
 * covers every type. Read needs r, search s, create c.
 *
 * Anything else grants nothing here: SMART v1 forms (`.read`, `.write`), `user/` and `system/`
 * scopes, and scopes narrowed by a query (`patient/Observation.rs?category=…`), which we would
 * have to enforce on every search to honour.
 */

export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

const SCOPE = /^patient\/([A-Za-z]+|\*)\.(c?r?u?d?s?)$/;

/** The resource type and permissions a scope grants, or null when it grants nothing here. */
export function parseScope(scope: string): { type: string; permissions: ReadonlySet<Permission> } | null {
  const match = SCOPE.exec(scope);
  if (!match || match[2] === '') return null;
  return { type: match[1]!, permissions: new Set(match[2]!.split('') as Permission[]) };
}

/** Whether the granted scopes let the app do this to this type of resource. */
export function allows(scopes: ReadonlySet<string>, type: string, permission: Permission): boolean {
  for (const scope of scopes) {
    const parsed = parseScope(scope);
    if (parsed && (parsed.type === type || parsed.type === '*') && parsed.permissions.has(permission)) return true;
  }
  return false;
}
