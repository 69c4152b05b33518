import type { AppSocket } from '../../lib/socket.ts';

/**
 * Tells the server whether this tab is visible, on every connect and every visibility change
 * (API.md, `attention`): a user with a visible tab anywhere is not pushed, the tab tells them.
 */
export function reportAttention(socket: AppSocket): () => void {
  const report = () => {
    if (socket.connected) socket.emit('attention', { visible: document.visibilityState === 'visible' });
  };
  socket.on('connect', report);
  document.addEventListener('visibilitychange', report);
  return () => {
    socket.off('connect', report);
    document.removeEventListener('visibilitychange', report);
  };
}
