import { LIMITS, type UpdateMeBody } from '@parley/contracts';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/button.tsx';
import { Field } from '../../../components/field.tsx';
import { FormAlert } from '../../../components/form-alert.tsx';
import { BackIcon } from '../../../components/icons.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { useMe, useUpdateMe } from '../../auth/index.ts';
import { PushNotificationsCheckbox } from '../../push/index.ts';

type Fields = Partial<Record<keyof UpdateMeBody, string>>;

export function ProfilePage() {
  const me = useMe();
  const update = useUpdateMe();
  const [nickname, setNickname] = useState(me.nickname);
  const [email, setEmail] = useState(me.email);
  const [newPassword, setNewPassword] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const [localErrors, setLocalErrors] = useState<Fields>({});
  const [saved, setSaved] = useState(false);

  const serverError = update.error;
  const serverFields: Fields = {};
  let formError: string | null = null;
  if (serverError instanceof ApiError && serverError.fields) Object.assign(serverFields, serverError.fields);
  else if (serverError instanceof ApiError && serverError.code === 'invalid_credentials') {
    serverFields.currentPassword = 'Your current password is not correct.';
  } else if (serverError) formError = errorMessage(serverError);
  const fields: Fields = { ...serverFields, ...localErrors };

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const body: UpdateMeBody = {};
    if (nickname.trim() !== me.nickname) body.nickname = nickname;
    if (email.trim() !== me.email) body.email = email;
    if (newPassword) body.newPassword = newPassword;
    if (currentPassword) body.currentPassword = currentPassword;
    // The server would refuse the same way; saying it here saves a round trip and a rate-limit strike.
    if ((body.email !== undefined || body.newPassword !== undefined) && !currentPassword) {
      setLocalErrors({ currentPassword: 'Enter your current password to change your email or password.' });
      return;
    }
    setLocalErrors({});
    if (Object.keys(body).length === 0) {
      setSaved(true);
      return;
    }
    update.mutate(body, {
      onSuccess: ({ user }) => {
        setNickname(user.nickname);
        setEmail(user.email);
        setNewPassword('');
        setCurrentPassword('');
        setSaved(true);
      },
    });
  }

  return (
    <div className="h-full overflow-y-auto">
      <div className="mx-auto w-full max-w-lg px-4 py-6 sm:py-10">
        <Link to="/" className="mb-4 inline-flex items-center gap-1 text-sm text-muted hover:text-fg md:hidden">
          <BackIcon className="size-4" /> Conversations
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Your profile</h1>
        <p className="mt-1 mb-6 text-sm text-muted">
          Your nickname is what others see. Changing your email or password needs your current password.
        </p>
        <form
          noValidate
          onSubmit={submit}
          className="flex flex-col gap-5 rounded-2xl border border-line bg-surface p-6"
        >
          <FormAlert message={formError} />
          <Field
            label="Nickname"
            autoComplete="nickname"
            maxLength={LIMITS.nicknameMax}
            value={nickname}
            onChange={(event) => setNickname(event.target.value)}
            error={fields.nickname}
          />
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            maxLength={LIMITS.emailMax}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={fields.email}
          />
          <hr className="border-line" />
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            maxLength={LIMITS.passwordMax}
            value={newPassword}
            onChange={(event) => setNewPassword(event.target.value)}
            error={fields.newPassword}
            hint={`Leave empty to keep your password. At least ${LIMITS.passwordMin} characters.`}
          />
          <Field
            label="Current password"
            type="password"
            autoComplete="current-password"
            maxLength={LIMITS.passwordMax}
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.target.value)}
            error={fields.currentPassword}
          />
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={update.isPending}>
              {update.isPending ? 'Saving…' : 'Save'}
            </Button>
            <p role="status" className="text-sm text-online">
              {saved && !update.isPending ? 'Profile saved' : ''}
            </p>
          </div>
        </form>
        <section
          aria-labelledby="profile-notifications"
          className="mt-6 flex flex-col gap-3 rounded-2xl border border-line bg-surface p-6"
        >
          <h2 id="profile-notifications" className="text-base font-semibold">
            Notifications
          </h2>
          <PushNotificationsCheckbox />
        </section>
      </div>
    </div>
  );
}
