import { toPlainText } from '@parley/contracts';

/**
 * What `messages.search_text` holds: the plain text, lower-cased here once, so substrings match with
 * LIKE against a lower-cased pattern (ILIKE's case folding of every row costs ten times more) and the
 * trigram index serves both. Highlights are computed on the content itself, never on this.
 */
export const searchTextOf = (content: string): string => toPlainText(content).toLowerCase();
