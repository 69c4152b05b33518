// The results page is its own chunk: the top bar's searchbox is all that search puts in the first paint.
export const loadSearchPage = () => import('./components/search-page.tsx');
