/**
 * A module loaded on first use (ADR 047), shared by every caller while it loads and once it has. A
 * failure is not kept: the next caller tries again, so a passing fault (too many open files, a
 * deploy rewriting dist/) does not disable uploads or thumbnails until a restart.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}
