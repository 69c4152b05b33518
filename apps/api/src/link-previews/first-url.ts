/** Fenced blocks (to their closing fence, or the end) and inline code: URLs in them are not links. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>`]+/gi;

/** Trailing punctuation belongs to the sentence, not the URL; a `)` only when it closes nothing. */
function trimEnd(candidate: string): string {
  let url = candidate.replace(/[.,;:!?'"*~]+$/, '');
  while (url.endsWith(')') && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) {
    url = url.slice(0, -1).replace(/[.,;:!?'"*~]+$/, '');
  }
  return url;
}

/**
 * The first http or https URL of a message's text outside code, as the message wrote it (API.md,
 * Link previews: `preview.url`); undefined when there is none.
 */
export function firstUrl(content: string): string | undefined {
  const prose = content.replace(CODE, (code) => ' '.repeat(code.length));
  for (const match of prose.matchAll(URL_CANDIDATE)) {
    const url = trimEnd(match[0]);
    try {
      const parsed = new URL(url);
      if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname) return url;
    } catch {
      // Not a URL after all (`http://` alone, say): look further.
    }
  }
  return undefined;
}
