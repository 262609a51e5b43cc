import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';
import { errorReport, type ErrorReport } from '../app/error-reporting';

interface Props {
  /** The page it guards, for the report (its name, never its data). */
  page: string;
  report: (r: ErrorReport) => void;
  children: ReactNode;
}

interface State {
  error: Error | null;
  /** Bumped by "Reload this screen", so the page is built afresh rather than from the state that broke it. */
  attempt: number;
}

/**
 * One per page: a page that throws while rendering shows a plain message with "Reload this screen"
 * instead of blanking the whole window, the rest of the app (header, navigation, pending
 * transactions) keeps working, and the error goes to main's log.
 */
export class ScreenBoundary extends Component<Props, State> {
  override state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    this.props.report(errorReport('boundary', error, this.props.page, info.componentStack ?? ''));
  }

  private readonly reload = () => this.setState((s) => ({ error: null, attempt: s.attempt + 1 }));

  override render(): ReactNode {
    if (!this.state.error) return <Fragment key={this.state.attempt}>{this.props.children}</Fragment>;
    return (
      <section className="card screen-crash" role="alert" aria-labelledby="screen-crash-title">
        <h1 id="screen-crash-title">This screen stopped working</h1>
        <p>
          Something went wrong while showing it. Your wallet, your NMR and any transaction already sent are not affected. The details were
          saved in the app’s log.
        </p>
        <button className="primary" onClick={this.reload}>
          Reload this screen
        </button>
      </section>
    );
  }
}
