import type { SearchQuery, SearchResponse } from '@parley/contracts';
import type { Db } from '@parley/db';
import { requireMember } from '../conversations/access.ts';
import { messagesByIds } from '../messages/queries.ts';
import { highlightsOf } from './highlights.ts';
import { matchingMessages } from './queries.ts';
import { parseSearch } from './query.ts';

export interface SearchDeps {
  db: Db;
}

/** The caller's messages that match `q`, newest first, each with where it matched (API.md, "Search"). */
export async function searchMessages({ db }: SearchDeps, userId: number, query: SearchQuery): Promise<SearchResponse> {
  if (query.conversationId !== undefined) await requireMember(db, query.conversationId, userId);
  const { terms, matchesNothing } = parseSearch(query.q);
  if (matchesNothing) return { results: [], hasMore: false };
  const matches = await matchingMessages(db, userId, terms, { ...query, limit: query.limit + 1 });
  const page = matches.slice(0, query.limit);
  const found = await messagesByIds(
    db,
    page.map((m) => m.id),
  );
  const byId = new Map(found.map((m) => [m.id, m]));
  // Read again after the match: a message deleted in between is left out rather than shown empty.
  const results = page.flatMap(({ id, title }) => {
    const message = byId.get(id);
    if (!message || message.deletedAt) return [];
    return [{ message, conversationTitle: title, highlights: highlightsOf(message.content, terms) }];
  });
  return { results, hasMore: matches.length > query.limit };
}
