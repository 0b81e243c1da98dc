/**
 * SMART App Launch v2 scopes for backend (client-credentials) clients: `system/<Type|*>.<perms>`
 * where perms is v2's `cruds` letters (only r and s matter: the API is read-only) or v1's
 * `read`/`write`/`*`. Patient- and user-level scopes need a launch context this server has not.
 */

export interface Scope {
  type: string;
  read: boolean;
  search: boolean;
}

const SCOPE = /^system\/(\*|[A-Z][A-Za-z]{1,63})\.(read|write|\*|c?r?u?d?s?)$/;

/** Parses one scope string, or null when it is not a system scope this server understands. */
export function parseScope(s: string): Scope | null {
  const m = SCOPE.exec(s);
  if (!m || m[2] === '') return null;
  const perms = m[2]!;
  const v1 = perms === 'read' || perms === 'write' || perms === '*';
  const read = v1 ? perms !== 'write' : perms.includes('r');
  const search = v1 ? perms !== 'write' : perms.includes('s');
  return { type: m[1]!, read, search };
}

/** Splits a space-separated scope list; unknown scopes are returned apart so they can be refused. */
export function parseScopes(list: string): { scopes: Scope[]; unknown: string[] } {
  const scopes: Scope[] = [];
  const unknown: string[] = [];
  for (const s of list.split(/\s+/).filter(Boolean)) {
    const p = parseScope(s);
    if (p) scopes.push(p);
    else unknown.push(s);
  }
  return { scopes, unknown };
}

/** Whether the granted scopes allow reading (`read`) or searching (`search`) resources of `type`. */
export function allows(granted: readonly Scope[], type: string, need: 'read' | 'search'): boolean {
  return granted.some((s) => (s.type === '*' || s.type === type) && s[need]);
}
