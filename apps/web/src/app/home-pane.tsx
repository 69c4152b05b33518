import { EmptyState } from '../components/empty-state.tsx';
import { ChatIcon } from '../components/icons.tsx';

/** `/` on a wide screen: the sidebar is beside this, so it only points at it. */
export function HomePane() {
  return (
    <EmptyState title="Pick a conversation" icon={<ChatIcon className="size-10" />}>
      Choose one on the left, or start a new one with the people you want to talk to.
    </EmptyState>
  );
}
