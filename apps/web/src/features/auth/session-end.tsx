import { createContext, type ReactNode, use, useState } from 'react';

/**
 * How the last session ended. A deliberate sign-out lands on the sign-in page without the offer to go
 * back to the page the person was on: that offer is only for sessions that ended by themselves.
 */
interface SessionEnd {
  /** The person signed out on purpose. */
  signedOut(): void;
  /** Whether the session was just ended on purpose; true only once, for the first redirect to sign-in. */
  takeSignedOut(): boolean;
}

function createSessionEnd(): SessionEnd {
  let onPurpose = false;
  return {
    signedOut() {
      onPurpose = true;
    },
    takeSignedOut() {
      const answer = onPurpose;
      onPurpose = false;
      return answer;
    },
  };
}

const SessionEndContext = createContext<SessionEnd | null>(null);

/** The auth feature's own state, one per app: app/providers.tsx mounts it around the router. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [sessionEnd] = useState(createSessionEnd);
  return <SessionEndContext value={sessionEnd}>{children}</SessionEndContext>;
}

export function useSessionEnd(): SessionEnd {
  const value = use(SessionEndContext);
  if (!value) throw new Error('AuthProvider is missing');
  return value;
}
