/**
 * The results page's URL: `/search?q=<text>`, with `in=<id>` when kept to one conversation and
 * `from=<id>` for the conversation it was opened from (which offers "Only this conversation").
 */
export interface SearchLocation {
  q: string;
  conversationId: number | undefined;
  from: number | undefined;
}

const idOf = (value: string | null) => {
  const id = Number(value);
  return value !== null && Number.isInteger(id) && id > 0 ? id : undefined;
};

export function readSearchLocation(params: URLSearchParams): SearchLocation {
  const conversationId = idOf(params.get('in'));
  return { q: params.get('q') ?? '', conversationId, from: idOf(params.get('from')) ?? conversationId };
}

export function searchHref({ q, conversationId, from }: SearchLocation): string {
  const params = new URLSearchParams({ q });
  if (conversationId !== undefined) params.set('in', String(conversationId));
  if (from !== undefined && from !== conversationId) params.set('from', String(from));
  return `/search?${params}`;
}

/** Where a result opens: its conversation, at the message, highlighted. */
export const messageHref = (conversationId: number, messageId: number) => `/c/${conversationId}?message=${messageId}`;
