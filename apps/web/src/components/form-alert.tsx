interface FormAlertProps {
  message: string | null | undefined;
}

/** Errors that belong to the whole form (wrong credentials, rate limits), announced when they appear. */
export function FormAlert({ message }: FormAlertProps) {
  if (!message) return null;
  return (
    <div role="alert" className="rounded-lg border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-danger">
      {message}
    </div>
  );
}
