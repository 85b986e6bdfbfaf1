import { Component, createContext, useCallback, useContext, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ApiError, NETWORK_ERROR, type Session } from './api.js';
import { useI18n, type Messages } from './i18n.js';

/** The signed-in session and what to do when the server says it has ended. */
export interface SessionState {
  session: Session;
  /** Back to the sign-in screen (the server answered 401). */
  signedOut(): void;
}

/** The session of the signed-in screens. */
export const SessionContext = createContext<SessionState | null>(null);

/** The signed-in session (only below the signed-in shell). */
export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside the signed-in shell');
  return value;
}

/** An error in the user's language: known codes get the console's own words, others the server's detail. */
export function errorMessage(t: Messages, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === NETWORK_ERROR) return t.errors['network']!;
    const known = t.errors[error.code];
    if (known) return known;
    return error.detail || t.errors['unknown']!;
  }
  return t.errors['unknown']!;
}

/** Whether an error means the session is gone. */
export function isSignedOut(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.code === 'console.signed-out');
}

/** Loads something once (and again on `reload`), sending the user to sign-in when the session has ended. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; loading: boolean; reload(): void } {
  const { signedOut } = useSession();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (!live) return;
        if (isSignedOut(error)) signedOut();
        else setState({ data: undefined, error, loading: false });
      },
    );
    return () => {
      live = false;
    };
    // `load` is a new closure each render; the caller's `deps` say when it loads something else.
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

/** A page of a cursor-paged list, as the console API answers it. */
export interface CursorPage<T> {
  items: T[];
  next?: string | null;
}

/**
 * The pages after the first of a cursor-paged list: the first page's items followed by those loaded with
 * `loadMore`, the cursor of the next page, and the error of the last `loadMore`. A new first page starts over.
 */
export function useMorePages<T>(
  first: CursorPage<T> | undefined,
  fetchPage: (cursor: string) => Promise<CursorPage<T>>,
): { items: T[]; next: string | null | undefined; loadMore(): Promise<void>; error: unknown } {
  const { signedOut } = useSession();
  const [more, setMore] = useState<CursorPage<T>>({ items: [] });
  const [error, setError] = useState<unknown>();
  useEffect(() => setMore({ items: [] }), [first]);
  const next = more.items.length > 0 ? more.next : first?.next;
  const loadMore = async () => {
    if (!next) return;
    try {
      const page = await fetchPage(next);
      setMore((old) => ({ items: [...old.items, ...page.items], next: page.next }));
    } catch (caught) {
      if (isSignedOut(caught)) return signedOut();
      setError(caught);
    }
  };
  return { items: [...(first?.items ?? []), ...more.items], next, loadMore, error };
}

/** An error the user must notice, announced by screen readers. */
export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div className="banner error" role="alert">
      <span>{errorMessage(t, error)}</span>
      {error instanceof ApiError && error.detail && t.errors[error.code] ? <span className="banner-detail">{error.detail}</span> : null}
      {onRetry ? (
        <button type="button" className="button secondary small" onClick={onRetry}>
          {t.retry}
        </button>
      ) : null}
    </div>
  );
}

/** A polite "loading" line for screen readers and eyes alike. */
export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t.loading}
    </p>
  );
}

/** A credential status as words (never colour alone). */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return <span className={`badge status-${status}`}>{t.status[status] ?? status}</span>;
}

/** A long hash or id, shortened on screen and whole for screen readers, copy and hover. */
export function Hash({ value, keep = 10 }: { value: string | null | undefined; keep?: number }) {
  if (!value) return <span>—</span>;
  if (value.length <= keep * 2 + 1) return <code className="hash">{value}</code>;
  const short = `${value.slice(0, keep)}…${value.slice(-6)}`;
  return (
    <code className="hash" title={value}>
      <span aria-hidden="true">{short}</span>
      <span className="visually-hidden">{value}</span>
    </code>
  );
}

/** A column of a {@link DataTable}: its heading, which also labels its cells when a phone shows rows as cards. */
export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  readonly className?: string;
}

/**
 * The console's tables: a focusable region named by the caption, scrolling sideways on its own; on a phone each row
 * becomes a card whose cells carry their column's heading (`data-label`).
 * @param id - prefix of the caption's id, unique on the page
 * @param captionHidden - the caption names the table for screen readers only (a heading above already says it)
 */
export function DataTable<T>({
  id,
  caption,
  captionHidden = false,
  columns,
  rows,
  rowKey,
}: {
  id: string;
  caption: string;
  captionHidden?: boolean;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey(row: T): string | number;
}) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
      <table className="responsive">
        <caption id={`${id}-caption`} className={captionHidden ? 'visually-hidden' : undefined}>
          {caption}
        </caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.header} data-label={column.header} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A modal dialog (a drawer on wide screens, a full sheet on phones): focus moves into it, Tab stays inside,
 * Escape closes it, and focus returns to what opened it.
 */
export function Dialog({ title, onClose, children, className = 'drawer' }: { title: string; onClose(): void; children: ReactNode; className?: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('h2')?.focus();
    return () => opener?.focus?.();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const focusable = [...ref.current.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex="0"]')];
    if (focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable[focusable.length - 1]!;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={className} role="dialog" aria-modal="true" aria-labelledby={titleId} ref={ref} onKeyDown={onKeyDown}>
        <div className="dialog-header">
          <h2 id={titleId} tabIndex={-1}>
            {title}
          </h2>
          <button type="button" className="button secondary small" onClick={onClose}>
            {t.close}
          </button>
        </div>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}

/**
 * Keeps a screen that fails to render (an answer of an unexpected shape) from blanking the whole console: the
 * menu stays, the screen says it failed, and choosing a screen again retries.
 */
export class ScreenBoundary extends Component<{ children: ReactNode; message: string; retry: string; resetKey: string }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidUpdate(previous: { resetKey: string }): void {
    if (previous.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false });
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="banner error" role="alert">
        <span>{this.props.message}</span>
        <button type="button" className="button secondary small" onClick={() => this.setState({ failed: false })}>
          {this.props.retry}
        </button>
      </div>
    );
  }
}
