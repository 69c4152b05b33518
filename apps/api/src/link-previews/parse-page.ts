import ogs from 'open-graph-scraper';

export interface PageSummary {
  title: string;
  description: string | null;
  siteName: string | null;
  /** Absolute, resolved against the page's own URL; still to be fetched through the guard. */
  imageUrl: string | null;
}

const clean = (value: string | undefined, max: number): string | null => {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? Array.from(text).slice(0, max).join('') : null;
};

/**
 * Title, description, site and image of a page we already fetched: Open Graph, else Twitter cards,
 * else `<title>` and `<meta name="description">` (API.md). open-graph-scraper is handed the HTML
 * and never a URL, so it cannot fetch anything itself (ADR 044). Undefined for a page without a title.
 */
/**
 * The few tags a preview is made of, out of the page's <head>: its <title> and the <meta> tags of
 * Open Graph, Twitter cards and the description (at most 50). Comments, scripts and styles hold
 * none. open-graph-scraper then parses a tiny document: on the whole megabyte it is quadratic in
 * the number of tags (5.5 s for a head of 40 000 <meta>), which would hold the event loop.
 */
export function headOf(html: string): string {
  const end = html.search(/<\/head\s*>|<body[\s>]/i);
  const head = (end === -1 ? html : html.slice(0, end)).replace(
    /<!--[\s\S]*?(?:-->|$)|<(script|style|noscript|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi,
    '',
  );
  const title = /<title\b[^>]*>[\s\S]*?<\/title\s*>/i.exec(head)?.[0] ?? '';
  const metas = (head.match(/<meta\b[^>]*>/gi) ?? [])
    .filter((tag) => /\b(?:property|name)\s*=\s*["']?(?:og:|twitter:|description\b)/i.test(tag))
    .slice(0, 50);
  return `<html><head>${title}${metas.join('')}</head></html>`;
}

export async function summarize(page: string, pageUrl: URL): Promise<PageSummary | undefined> {
  const html = headOf(page);
  // Once without fallbacks, for the tags themselves; once with them, for <title> and the description.
  const tags = (await ogs({ html, onlyGetOpenGraphInfo: true })).result;
  const fallback = (await ogs({ html, onlyGetOpenGraphInfo: ['image', 'url', 'favicon', 'logo', 'locale'] })).result;
  const title = clean(tags.ogTitle, 300) ?? clean(tags.twitterTitle, 300) ?? clean(fallback.ogTitle, 300);
  if (!title) return undefined;
  const image = tags.ogImage?.[0]?.url ?? tags.twitterImage?.[0]?.url;
  let imageUrl: string | null = null;
  if (image) {
    try {
      imageUrl = new URL(image, pageUrl).toString();
    } catch {
      imageUrl = null;
    }
  }
  return {
    title,
    description:
      clean(tags.ogDescription, 1000) ?? clean(tags.twitterDescription, 1000) ?? clean(fallback.ogDescription, 1000),
    siteName: clean(tags.ogSiteName, 200),
    imageUrl,
  };
}
