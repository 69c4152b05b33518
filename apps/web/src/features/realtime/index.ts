// The realtime feature's public surface: other features and app/ import from here, never from its files.
export { ConnectionStatus } from './components/connection-status.tsx';
export { RealtimeProvider, useRealtime } from './realtime-provider.tsx';
