import type { Member, Message } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { memo } from 'react';
import { formatFull, formatTime } from '../../../lib/format-time.ts';
import { usersQuery } from '../../users/index.ts';
import { systemSentence } from '../system-sentence.ts';

/** A line in the history for a change of the conversation; people no longer in it are named from contacts. */
export const SystemEntryRow = memo(function SystemEntryRow({
  message,
  members,
}: {
  message: Message;
  members: Member[];
}) {
  const contacts = useQuery(usersQuery('')).data;
  if (!message.system) return null;
  const nameOf = (id: number) =>
    members.find((m) => m.id === id)?.nickname ?? contacts?.find((u) => u.id === id)?.nickname ?? 'someone';
  return (
    <p data-message-id={message.id} className="px-4 py-1.5 text-center text-xs text-muted">
      {systemSentence(message.system, message.sender.nickname, nameOf)}{' '}
      <time dateTime={message.createdAt} title={formatFull(message.createdAt)} className="opacity-75">
        {formatTime(message.createdAt)}
      </time>
    </p>
  );
});
