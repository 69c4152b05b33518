interface ImportMetaEnv {
  /** Where the emoji picker's data is served from, on our own origin (emojibase-data.ts). */
  readonly EMOJIBASE_URL: string;
}
