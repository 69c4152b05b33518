import { Link } from 'react-router';
import { EmptyState } from '../components/empty-state.tsx';

export function NotFoundPage() {
  return (
    <EmptyState title="Page not found">
      <Link to="/" className="font-medium text-accent hover:underline">
        Go to your conversations
      </Link>
    </EmptyState>
  );
}
