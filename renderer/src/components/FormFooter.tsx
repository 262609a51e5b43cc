/** The end of a form: its error, if any, then a way back and a submit button. */
export function FormFooter({
  error,
  onCancel,
  submitLabel = 'Review',
  cancelLabel = 'Cancel',
  submitDisabled = false,
  alignEnd = true,
}: {
  error: string | null;
  onCancel: () => void;
  submitLabel?: string;
  cancelLabel?: string;
  submitDisabled?: boolean;
  /** Buttons at the right, as in a dialog; a page's form keeps them under its fields. */
  alignEnd?: boolean;
}) {
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className={alignEnd ? 'row gap end' : 'row gap'}>
        <button type="button" className="ghost" onClick={onCancel}>
          {cancelLabel}
        </button>
        <button className="primary" type="submit" disabled={submitDisabled}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
