import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../../components/button.tsx';
import { Field } from '../../../components/field.tsx';
import { FormAlert } from '../../../components/form-alert.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { useFocusFirstError } from '../../../lib/use-focus-first-error.ts';
import { useLogin } from '../api.ts';
import { safeNext } from '../hooks.ts';
import { AuthLayout } from './auth-layout.tsx';

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = params.get('next');
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, login.error);

  const fields = login.error instanceof ApiError ? login.error.fields : undefined;
  const formError = login.error && !fields ? errorMessage(login.error) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    login.mutate({ email, password }, { onSuccess: () => navigate(safeNext(next), { replace: true }) });
  }

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Welcome back. Pick up the conversation where you left it."
      footer={
        <>
          New to Parley?{' '}
          <Link
            to={next ? `/register?next=${encodeURIComponent(next)}` : '/register'}
            className="font-medium text-accent hover:underline"
          >
            Create an account
          </Link>
        </>
      }
    >
      <form ref={formRef} noValidate onSubmit={submit} className="flex flex-col gap-4">
        <FormAlert message={formError} />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          inputMode="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={fields?.email}
          required
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fields?.password}
          required
        />
        <Button type="submit" disabled={login.isPending} className="mt-2 w-full">
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </AuthLayout>
  );
}
