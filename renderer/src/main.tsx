// First: it finds main and sends the app's first calls before the modules below are evaluated.
import { pageTransport } from './api/page-transport';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client';
import { ApiProvider } from './api/context';
import { App } from './app/App';
import { sendBootModels } from './app/useModelPages';
import { errorReporter, reportUncaughtErrors } from './app/error-reporting';
import './styles.css';

// An error a page's boundary caught is already on its way to main's log (ScreenBoundary); React's
// default would print it to the console as well, where nobody looks.
const root = createRoot(document.getElementById('root')!, { onCaughtError: () => undefined });
const transport = pageTransport;
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
  // The first screen's list, sent before the app draws it (the start's went out already: early-calls.ts).
  sendBootModels(transport, window.location.hash);
  const client = createApiClient(transport);
  // What nothing in the page caught goes to main's log, with the page's name (the route's first part).
  reportUncaughtErrors(window, errorReporter(client), () => window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] || null);
  root.render(
    <StrictMode>
      <ApiProvider client={client}>
        <App />
      </ApiProvider>
    </StrictMode>,
  );
}
