import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client';
import { ApiProvider } from './api/context';
import { detectTransport } from './api/transport';
import { App } from './app/App';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const transport = detectTransport();
if (!transport) {
  root.render(
    <main className="onboarding">
      <div className="card narrow">
        <h1>Open NMR Delegate from its own link</h1>
        <p>This page needs the link that “npm start” printed (it carries a one-time key). Open that link instead.</p>
      </div>
    </main>,
  );
} else {
  root.render(
    <StrictMode>
      <ApiProvider client={createApiClient(transport)}>
        <App />
      </ApiProvider>
    </StrictMode>,
  );
}
