/** What an action on a card came to: read out politely when it worked, at once when it failed. */
export function Notice({ message }: { message: { ok: boolean; text: string } | null }) {
  if (!message) return null;
  return (
    <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'}>
      {message.text}
    </p>
  );
}
