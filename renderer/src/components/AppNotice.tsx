import { useEffect, useState } from 'react';
import type { EventPayload } from '../../../shared/api';
import { useApi } from '../api/context';

/** What main recovered from while the app ran (the demo chain stopped and was started again), until dismissed. */
export function AppNotice() {
  const api = useApi();
  const [notice, setNotice] = useState<EventPayload<'app.notice'> | null>(null);
  useEffect(() => api.on('app.notice', setNotice), [api]);
  if (!notice) return null;
  const problem = notice.kind === 'chain-down';
  return (
    <div role={problem ? 'alert' : 'status'} className={`banner ${problem ? 'error' : 'calm'}`}>
      <span>{notice.message}</span>
      <button className="link" aria-label="Dismiss" onClick={() => setNotice(null)}>
        ×
      </button>
    </div>
  );
}
