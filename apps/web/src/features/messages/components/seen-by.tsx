import type { Member, Message } from '@parley/contracts';
import * as Tooltip from '@radix-ui/react-tooltip';
import { Fragment } from 'react';
import { formatFull, formatSeenAt } from '../../../lib/format-time.ts';

interface SeenByProps {
  seenBy: Message['seenBy'];
  members: Member[];
}

/** "Seen by Bob, Carol": each name reveals when that person saw it, on hover or keyboard focus. */
export function SeenBy({ seenBy, members }: SeenByProps) {
  const entries = [...seenBy].sort((a, b) => a.seenAt.localeCompare(b.seenAt));
  return (
    <p className="mt-1 text-right text-xs text-muted">
      Seen by{' '}
      {entries.map((entry, index) => {
        const nickname = members.find((m) => m.id === entry.userId)?.nickname ?? 'someone';
        return (
          <Fragment key={entry.userId}>
            {index > 0 ? ', ' : null}
            <Tooltip.Root>
              <Tooltip.Trigger asChild>
                <button
                  type="button"
                  className="rounded font-medium text-fg/80 underline decoration-dotted underline-offset-2 hover:text-fg"
                >
                  {nickname}
                </button>
              </Tooltip.Trigger>
              <Tooltip.Portal>
                <Tooltip.Content sideOffset={6} className="z-50 rounded-md bg-fg px-2 py-1 text-xs text-bg shadow-md">
                  <time dateTime={entry.seenAt} title={formatFull(entry.seenAt)}>
                    {formatSeenAt(entry.seenAt)}
                  </time>
                  <Tooltip.Arrow className="fill-fg" />
                </Tooltip.Content>
              </Tooltip.Portal>
            </Tooltip.Root>
          </Fragment>
        );
      })}
    </p>
  );
}
