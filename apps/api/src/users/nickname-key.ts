import unhomoglyph from 'unhomoglyph';

// Nonspacing marks (accents, dots above): small enough to miss next to a familiar name.
const NONSPACING_MARKS = /\p{Mn}/gu;

/**
 * Full case folding as far as JavaScript offers it: upper then lower case also folds ß to ss and
 * final sigma to sigma, which a plain toLowerCase does not.
 */
function caseFold(value: string): string {
  return value.toUpperCase().toLowerCase();
}

/**
 * What makes two nicknames one (API.md, "Abuse and identity"): the Unicode TR39 confusable skeleton
 * (NFD, each character replaced by its prototype from confusables.txt, NFD again) of the case-folded,
 * NFKC-normalised nickname, so `іnput7а` (Cyrillic) and `ＩＮＰＵＴ7A` are `input7a`. Nonspacing marks
 * are dropped on both sides of the mapping as well: an accent does not make a different person
 * (ADR 027). Stored in users.nickname_key, where a unique index makes it binding.
 */
export function nicknameKey(nickname: string): string {
  const folded = caseFold(nickname.normalize('NFKC').trim());
  const strip = (value: string) => value.normalize('NFD').replace(NONSPACING_MARKS, '');
  return strip(unhomoglyph(strip(folded)));
}
