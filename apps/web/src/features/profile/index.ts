// The profile feature's public surface: app/ imports from here, never from its files.
export { ProfilePage } from './components/profile-page.tsx';
