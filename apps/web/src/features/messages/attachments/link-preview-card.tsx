import type { Message, MessageResponse } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { toast } from '../../../components/toasts/toasts.tsx';
import { api } from '../../../lib/api-client.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { showAnswer } from '../cache.ts';

/** The sender takes the preview off (API.md: `DELETE …/preview`); the answer is the message without it. */
async function removePreview(message: Message): Promise<Message> {
  const path = `/conversations/${message.conversationId}/messages/${message.id}/preview`;
  return (await api<MessageResponse>(path, { method: 'DELETE' })).message;
}

/**
 * A link preview under its message: a link named by the preview's title, the description and site
 * beside it, the image from our own origin (CSP keeps `img-src 'self'`). The sender can remove it.
 */
export function LinkPreviewCard({
  message,
  own,
  canRemove,
}: {
  message: Message;
  own: boolean;
  /** The conversation is open: the sender may remove the preview. */
  canRemove: boolean;
}) {
  const queryClient = useQueryClient();
  const preview = message.preview;
  if (!preview) return null;
  return (
    <div className="mt-1 flex max-w-sm min-w-0 flex-col overflow-hidden rounded-xl border border-line bg-surface text-fg shadow-sm">
      {preview.imageUrl ? (
        // A fixed frame (the usual 1.91:1 of Open Graph) reserves the space before the image loads.
        <img
          src={preview.imageUrl}
          alt=""
          width={382}
          height={200}
          className="block aspect-[1.91/1] h-auto w-full bg-surface-3 object-cover"
        />
      ) : null}
      <div className="flex min-w-0 flex-col gap-0.5 px-3 py-2">
        {preview.siteName ? <span className="truncate text-xs text-muted">{preview.siteName}</span> : null}
        <a
          href={preview.url}
          target="_blank"
          rel="noopener noreferrer"
          className="line-clamp-2 font-semibold text-accent underline-offset-2 hover:underline"
        >
          {preview.title}
        </a>
        {preview.description ? <p className="line-clamp-3 text-sm text-muted">{preview.description}</p> : null}
        {own && canRemove ? (
          <button
            type="button"
            onClick={() =>
              removePreview(message).then(
                (answer) => showAnswer(queryClient, answer),
                (error) => toast.error(errorMessage(error)),
              )
            }
            className="mt-1 self-start rounded-md px-1.5 py-0.5 text-xs text-muted hover:bg-surface-2 hover:text-fg"
          >
            Remove preview
          </button>
        ) : null}
      </div>
    </div>
  );
}
