import type { EndpointGroup } from '../analyze/groups.js';

/** A group's members for people: all of a small group, the first few of a big one. */
export function groupMembersText(g: EndpointGroup, limit = 20): string {
  const ids = g.members.map((m) => m.id);
  if (ids.length <= limit) return ids.join(', ');
  const shown = Math.ceil(limit / 2);
  return `${ids.slice(0, shown).join(', ')} and ${(ids.length - shown).toLocaleString('en-US')} more`;
}
