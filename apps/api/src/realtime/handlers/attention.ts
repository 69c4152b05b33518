import { attentionClientPayload } from '@parley/contracts';
import type { Logger } from 'pino';
import type { Attention } from '../../push/attention.ts';
import type { ParleySocket } from '../realtime.ts';

/**
 * `attention {visible}` from a client: whether its page is being looked at, which decides whether its
 * user is pushed (API.md). One socket's reports are recorded in the order sent, and a report still
 * on its way when the socket closes is undone by the disconnect.
 */
export function createAttentionHandlers({ attention, logger }: { attention: Attention; logger: Logger }) {
  return (socket: ParleySocket) => {
    const { userId } = socket.data;
    let queue = Promise.resolve();
    const record = (visible: boolean) => {
      queue = queue
        .then(() => attention.report(userId, socket.id, visible && socket.connected))
        .catch((err) => logger.warn({ err }, 'attention update failed'));
    };
    return {
      attention(payload: unknown) {
        const parsed = attentionClientPayload.safeParse(payload);
        if (parsed.success) record(parsed.data.visible);
      },
      disconnect() {
        queue = queue
          .then(() => attention.forget(userId, socket.id))
          .catch((err) => logger.warn({ err }, 'attention update failed'));
      },
    };
  };
}
