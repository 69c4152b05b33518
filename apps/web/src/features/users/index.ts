// The users feature's public surface: other features import from here, never from its files.
export { presenceQuery, setPresence, usersQuery } from './api.ts';
export { PresenceDot, useOnline } from './components/presence-dot.tsx';
