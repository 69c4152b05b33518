// The search feature's public surface: app/ imports from here, never from its files.
export { SearchBox } from './components/search-box.tsx';
export { loadSearchPage } from './load-search-page.ts';
