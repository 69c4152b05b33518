// Inline icons: a handful of paths is lighter than an icon package. All are decorative (aria-hidden).
interface IconProps {
  className?: string;
}

function svg(path: React.ReactNode, className = 'size-5') {
  return (
    <svg
      className={className}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {path}
    </svg>
  );
}

export const ChatIcon = ({ className }: IconProps) =>
  svg(
    <path d="M5 7.5A3.5 3.5 0 0 1 8.5 4h7A3.5 3.5 0 0 1 19 7.5v5a3.5 3.5 0 0 1-3.5 3.5H11l-4.5 4v-4.2A3.5 3.5 0 0 1 5 12.5z" />,
    className,
  );
export const PlusIcon = ({ className }: IconProps) => svg(<path d="M12 5v14M5 12h14" />, className);
export const SendIcon = ({ className }: IconProps) =>
  svg(<path d="M4 12 20 4l-6 16-2.5-6.5z M11.5 13.5 20 4" />, className);
export const BackIcon = ({ className }: IconProps) => svg(<path d="M15 5l-7 7 7 7" />, className);
export const BellIcon = ({ className }: IconProps) =>
  svg(<path d="M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15zM10 20a2 2 0 0 0 4 0" />, className);
export const ClockIcon = ({ className }: IconProps) =>
  svg(<path d="M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z" />, className);
export const AlertIcon = ({ className }: IconProps) =>
  svg(
    <path d="M12 8v5M12 16.5v.01M10.3 4.3 2.8 17.5A2 2 0 0 0 4.5 20.5h15a2 2 0 0 0 1.7-3L13.7 4.3a2 2 0 0 0-3.4 0z" />,
    className,
  );
export const SearchIcon = ({ className }: IconProps) =>
  svg(<path d="M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM20 20l-4-4" />, className);
export const PencilIcon = ({ className }: IconProps) =>
  svg(<path d="M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4" />, className);
export const LockIcon = ({ className }: IconProps) =>
  svg(<path d="M7 11V8a5 5 0 0 1 10 0v3M5.5 11h13v9h-13z" />, className);
export const CloseIcon = ({ className }: IconProps) => svg(<path d="M6 6l12 12M18 6 6 18" />, className);
export const SmileIcon = ({ className }: IconProps) =>
  svg(
    <>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M8.5 14a4 4 0 0 0 7 0M9.5 9.5h.01M14.5 9.5h.01" />
    </>,
    className,
  );
export const ReplyIcon = ({ className }: IconProps) =>
  svg(<path d="M10 8 5 12.5l5 4.5M5.5 12.5H14a5 5 0 0 1 5 5V19" />, className);
export const TrashIcon = ({ className }: IconProps) =>
  svg(<path d="M5 7h14M10 7V5h4v2M7 7l1 12h8l1-12M10.5 10.5v5M13.5 10.5v5" />, className);
export const PaperclipIcon = ({ className }: IconProps) =>
  svg(
    <path d="m20 11.5-7.8 7.8a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8" />,
    className,
  );
