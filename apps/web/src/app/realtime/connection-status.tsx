import { useConnection } from '../../lib/realtime-context.ts';

/** Always in the DOM so screen readers hear the change; empty while connected. */
export function ConnectionStatus() {
  const connection = useConnection();
  const down = connection === 'down';
  return (
    <div
      role="status"
      className={
        down
          ? 'pointer-events-none fixed top-3 left-1/2 z-50 -translate-x-1/2 animate-fade-in rounded-full border ' +
            'border-line bg-surface px-4 py-1.5 text-sm font-medium text-fg shadow-md'
          : 'sr-only'
      }
    >
      {down ? (
        <span className="inline-flex items-center gap-2">
          <span className="size-2 animate-pulse rounded-full bg-[#e0a100]" aria-hidden="true" />
          Reconnecting…
        </span>
      ) : null}
    </div>
  );
}
