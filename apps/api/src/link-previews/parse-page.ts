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
export async function summarize(html: string, pageUrl: URL): Promise<PageSummary | undefined> {
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
