/** The end of a dialog's form: its error, if any, then Cancel and a submit button. */
export function FormFooter({
  error,
  onCancel,
  submitLabel = 'Review',
}: {
  error: string | null;
  onCancel: () => void;
  submitLabel?: string;
}) {
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row gap end">
        <button type="button" className="ghost" onClick={onCancel}>
          Cancel
        </button>
        <button className="primary" type="submit">
          {submitLabel}
        </button>
      </div>
    </>
  );
}
