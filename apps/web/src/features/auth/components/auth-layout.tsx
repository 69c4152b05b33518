import type { ReactNode } from 'react';
import { ChatIcon } from '../../../components/icons.tsx';

interface AuthLayoutProps {
  title: string;
  subtitle: string;
  children: ReactNode;
  footer: ReactNode;
}

export function AuthLayout({ title, subtitle, children, footer }: AuthLayoutProps) {
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm animate-fade-in">
        <div className="mb-8 flex items-center justify-center gap-2 text-fg">
          <span className="inline-flex size-9 items-center justify-center rounded-xl bg-accent text-on-accent">
            <ChatIcon className="size-5" />
          </span>
          <span className="text-xl font-semibold tracking-tight">Parley</span>
        </div>
        <div className="rounded-2xl border border-line bg-surface p-6 shadow-sm sm:p-8">
          <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
          <p className="mt-1 mb-6 text-sm text-muted">{subtitle}</p>
          {children}
        </div>
        <p className="mt-6 text-center text-sm text-muted">{footer}</p>
      </div>
    </main>
  );
}
