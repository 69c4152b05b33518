// The conversation screen (virtual list, links, tooltips, dialogs) is most of the app's code, so it is its own
// chunk: app/router.tsx loads it through this function on first visit or in parallel with the route's data.
export const loadConversationPage = () => import('./components/conversation-page.tsx');
