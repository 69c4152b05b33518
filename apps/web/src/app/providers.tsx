import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Toaster } from 'sonner';
import { AuthProvider } from '../features/auth/index.ts';

export function Providers({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider>{children}</AuthProvider>
      {/* Below the top bar (h-14), never over its controls; several toasts stack there. */}
      <Toaster
        position="top-right"
        offset={{ top: 72, right: 16 }}
        mobileOffset={{ top: 64, right: 8, left: 8 }}
        visibleToasts={4}
        theme="system"
        closeButton
        richColors
      />
    </QueryClientProvider>
  );
}
