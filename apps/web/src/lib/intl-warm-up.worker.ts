// Started by warm-intl.ts: building one formatter here pays ICU's start-up in this thread. ICU's data is
// the renderer process's, so the page's own formatters then cost well under a millisecond each.
new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(0);
postMessage('ready');
