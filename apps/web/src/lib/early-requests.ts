/**
 * Answers index.html's inline script asked for while the app's scripts were still loading (ADR 059):
 * the first screen's data of a signed-in visit, keyed by API path. Each is taken once, by the request the
 * app would otherwise have made, and only while the app starts: the rest are dropped then, so no later
 * request is answered from an old response.
 */
declare global {
  // Set by index.html as `window.__parleyEarly`; `globalThis` is the window in a page.
  var __parleyEarly: Record<string, Promise<Response>> | undefined;
}

/** The early answer for a GET of `path` (as passed to `api`), if one is waiting; it is handed out once. */
export function takeEarlyResponse(path: string): Promise<Response> | undefined {
  const early = globalThis.__parleyEarly;
  const answer = early?.[path];
  if (answer) delete early[path];
  return answer;
}

/** Called once the first screen's loaders have asked for their data: what they did not take goes. */
export function dropEarlyResponses(): void {
  globalThis.__parleyEarly = undefined;
}
