/**
 * Who an audit event's actor was when it happened: a person's name with the role they held
 * then (replayed from the log's own user.created / user.changed events), an API token by its
 * name, the PSA, or offboard itself. Pure: the use case hands it the rows.
 */
export type PersonRecord = { id: string; name: string };
export type TokenRecord = { id: string; name: string; role: string };
export type RoleChange = { seq: number; userId: string; role: string };
export type ActorInWords = { name: string; role: string | null };

export function actorNamer(people: PersonRecord[], tokens: TokenRecord[], roleChanges: RoleChange[]) {
  const names = new Map(people.map((p) => [p.id, p.name] as const));
  const tokenById = new Map(tokens.map((t) => [t.id, t] as const));
  const history = new Map<string, RoleChange[]>();
  for (const c of [...roleChanges].sort((a, b) => a.seq - b.seq)) history.set(c.userId, [...(history.get(c.userId) ?? []), c]);
  const roleAt = (userId: string, seq: number): string | null => {
    let role: string | null = null;
    for (const c of history.get(userId) ?? []) if (c.seq <= seq) role = c.role;
    return role ?? history.get(userId)?.[0]?.role ?? null;
  };
  return (actor: string, seq: number): ActorInWords => {
    const [kind, ...rest] = actor.split(':');
    const id = rest.join(':');
    switch (kind) {
      case 'user':
        return { name: names.get(id) ?? 'A person no longer listed', role: roleAt(id, seq) };
      case 'token': {
        const token = tokenById.get(id);
        return { name: token ? `API token "${token.name}"` : 'An API token', role: token?.role ?? null };
      }
      case 'system':
        return { name: id.startsWith('psa') ? 'The PSA' : 'offboard', role: null };
      default:
        return { name: actor, role: null };
    }
  };
}
