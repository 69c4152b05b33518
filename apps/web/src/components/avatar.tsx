const palette = [
  'bg-[#e0ecff] text-[#1d4fbf] dark:bg-[#1b2a4a] dark:text-[#9dbbff]',
  'bg-[#dff5e8] text-[#137340] dark:bg-[#15332a] dark:text-[#7fd8a6]',
  'bg-[#fde7d9] text-[#a2471a] dark:bg-[#3a261b] dark:text-[#f5ae84]',
  'bg-[#f3e3fb] text-[#7a2fa0] dark:bg-[#2f1f3d] dark:text-[#d6a5f2]',
  'bg-[#fff1c9] text-[#8a6100] dark:bg-[#352c14] dark:text-[#f0cd6e]',
  'bg-[#dcf3f7] text-[#136b7c] dark:bg-[#15313a] dark:text-[#7fd3e3]',
  'bg-[#fde2e7] text-[#a8233f] dark:bg-[#3a1b24] dark:text-[#f59ab0]',
];

function initials(name: string): string {
  const parts = name
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const letters = parts.length > 1 ? `${parts[0]?.[0] ?? ''}${parts[1]?.[0] ?? ''}` : name.slice(0, 2);
  return letters.toUpperCase();
}

interface AvatarProps {
  name: string;
  seed: number;
  size?: 'sm' | 'md';
}

/** Decorative: the name is always next to it in text. */
export function Avatar({ name, seed, size = 'md' }: AvatarProps) {
  const colour = palette[Math.abs(seed) % palette.length];
  const dimensions = size === 'sm' ? 'size-7 text-[11px]' : 'size-10 text-sm';
  return (
    <span
      aria-hidden="true"
      className={`inline-flex shrink-0 items-center justify-center rounded-full font-semibold ${dimensions} ${colour}`}
    >
      {initials(name)}
    </span>
  );
}
