// The auth feature's public surface: other features and app/ import from here, never from its files.
export { mayBeSignedIn, meQuery, useLogout, useSignOutElsewhere, useUpdateMe } from './api.ts';
export { LoginPage } from './components/login-page.tsx';
export { RegisterPage } from './components/register-page.tsx';
export { PublicOnly, RequireAuth } from './components/require-auth.tsx';
export { useMe } from './hooks.ts';
export { AuthProvider } from './session-end.tsx';
