import { type RefObject, useEffect } from 'react';

/**
 * After a failed submit, focus lands on the first field in error (`aria-invalid`), or on the first field
 * when the error is the form's own (wrong credentials): never left on the disabled submit button or the page.
 */
export function useFocusFirstError(form: RefObject<HTMLFormElement | null>, error: unknown): void {
  useEffect(() => {
    if (!error) return;
    const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? form.current?.querySelector<HTMLElement>('input'))?.focus();
  }, [form, error]);
}
