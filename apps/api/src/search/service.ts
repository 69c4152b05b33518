import type { SearchQuery, SearchResponse } from '@parley/contracts';
import type { Db } from '@parley/db';
import { requireMember } from '../conversations/access.ts';
import { messagesByIds } from '../messages/queries.ts';
import { highlightsOf } from './highlights.ts';
import { conversationTitles, matchingMessageIds } from './queries.ts';
import { parseSearch } from './query.ts';

export interface SearchDeps {
  db: Db;
}

/** The caller's messages that match `q`, newest first, each with where it matched (API.md, "Search"). */
export async function searchMessages({ db }: SearchDeps, userId: number, query: SearchQuery): Promise<SearchResponse> {
  if (query.conversationId !== undefined) await requireMember(db, query.conversationId, userId);
  const { terms, matchesNothing } = parseSearch(query.q);
  if (matchesNothing) return { results: [], hasMore: false };
  const ids = await matchingMessageIds(db, userId, terms, { ...query, limit: query.limit + 1 });
  const pageIds = ids.slice(0, query.limit);
  const found = await messagesByIds(db, pageIds);
  const titles = await conversationTitles(db, [...new Set(found.map((m) => m.conversationId))]);
  const byId = new Map(found.map((m) => [m.id, m]));
  // Read again after the match: a message deleted in between is left out rather than shown empty.
  const results = pageIds.flatMap((id) => {
    const message = byId.get(id);
    if (!message || message.deletedAt) return [];
    return [
      {
        message,
        conversationTitle: titles.get(message.conversationId) ?? '',
        highlights: highlightsOf(message.content, terms),
      },
    ];
  });
  return { results, hasMore: ids.length > query.limit };
}
