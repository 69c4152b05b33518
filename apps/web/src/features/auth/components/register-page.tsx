import { LIMITS } from '@parley/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../../components/button.tsx';
import { Field } from '../../../components/field.tsx';
import { FormAlert } from '../../../components/form-alert.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { useFocusFirstError } from '../../../lib/use-focus-first-error.ts';
import { useRegister } from '../api.ts';
import { safeNext } from '../hooks.ts';
import { AuthLayout } from './auth-layout.tsx';

export function RegisterPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const register = useRegister();
  const [email, setEmail] = useState('');
  const [nickname, setNickname] = useState('');
  const [password, setPassword] = useState('');
  const next = params.get('next');
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, register.error);

  const fields = register.error instanceof ApiError ? register.error.fields : undefined;
  const formError = register.error && !fields ? errorMessage(register.error) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    register.mutate({ email, nickname, password }, { onSuccess: () => navigate(safeNext(next), { replace: true }) });
  }

  return (
    <AuthLayout
      title="Create your account"
      subtitle="Group conversations that feel like sitting at the same table."
      footer={
        <>
          Already have an account?{' '}
          <Link
            to={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}
            className="font-medium text-accent hover:underline"
          >
            Sign in
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
          maxLength={LIMITS.emailMax}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={fields?.email}
          required
        />
        <Field
          label="Nickname"
          autoComplete="nickname"
          maxLength={LIMITS.nicknameMax}
          value={nickname}
          onChange={(event) => setNickname(event.target.value)}
          error={fields?.nickname}
          hint="How others see you. You can change it later."
          required
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          maxLength={LIMITS.passwordMax}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fields?.password}
          hint={`At least ${LIMITS.passwordMin} characters.`}
          required
        />
        <Button type="submit" disabled={register.isPending} className="mt-2 w-full">
          {register.isPending ? 'Creating account…' : 'Create account'}
        </Button>
      </form>
    </AuthLayout>
  );
}
