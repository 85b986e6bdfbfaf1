import { useState, type FormEvent } from 'react';
import { api, type Role } from '../api.js';
import { useI18n } from '../i18n.js';
import { DataTable, ErrorBanner, isSignedOut, Loading, useLoad, useSession } from '../ui.js';

const ROLES: Role[] = ['issuer', 'auditor', 'admin'];

/** The tenant's operators and adding one (administrators only; the server enforces it too). */
export function Operators() {
  const { t, dateTime } = useI18n();
  const { session, signedOut } = useSession();
  const isAdmin = session.operator.role === 'admin';
  const list = useLoad(() => (isAdmin ? api.operators() : Promise.resolve({ items: [] })), [isAdmin]);
  const [form, setForm] = useState({ username: '', displayName: '', role: 'issuer' as Role, password: '' });
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  if (!isAdmin) {
    return (
      <section aria-labelledby="operators-title">
        <h1 id="operators-title">{t.operators.title}</h1>
        <p className="banner info">{t.operators.adminOnly}</p>
      </section>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const empty = new Set(Object.entries(form).filter(([, v]) => !String(v).trim()).map(([k]) => k));
    setMissing(empty);
    setNotice('');
    if (empty.size > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.addOperator({ ...form, username: form.username.trim(), displayName: form.displayName.trim() });
      setNotice(t.operators.added(form.username.trim()));
      setForm({ username: '', displayName: '', role: 'issuer', password: '' });
      list.reload();
    } catch (caught) {
      if (isSignedOut(caught)) return signedOut();
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const input = (key: 'username' | 'displayName' | 'password', label: string, extra: Record<string, string> = {}, hint?: string) => (
    <div className="field">
      <label htmlFor={`operator-${key}`}>
        {label}
        <span aria-hidden="true"> *</span>
      </label>
      {hint ? (
        <p className="field-hint" id={`operator-${key}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={`operator-${key}`}
        required
        aria-invalid={missing.has(key) || undefined}
        aria-describedby={[hint ? `operator-${key}-hint` : '', missing.has(key) ? `operator-${key}-error` : ''].filter(Boolean).join(' ') || undefined}
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        {...extra}
      />
      {missing.has(key) ? (
        <p className="field-error" id={`operator-${key}-error`}>
          {t.validation.required}
        </p>
      ) : null}
    </div>
  );

  return (
    <section aria-labelledby="operators-title">
      <h1 id="operators-title">{t.operators.title}</h1>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <DataTable
          id="operators"
          caption={t.operators.list}
          rows={list.data.items}
          rowKey={(op) => op.username}
          columns={[
            { header: t.operators.colUsername, cell: (op) => op.username },
            { header: t.operators.colName, cell: (op) => op.displayName },
            { header: t.operators.colRole, cell: (op) => t.roles[op.role] ?? op.role },
            { header: t.operators.colCreated, cell: (op) => dateTime(op.createdAt) },
            { header: t.operators.colState, cell: (op) => (op.disabled ? t.operators.disabled : t.operators.active) },
          ]}
        />
      ) : null}
      <form className="card" onSubmit={submit} noValidate aria-labelledby="operator-add-title">
        <h2 id="operator-add-title">{t.operators.add}</h2>
        <p role="status" className="notice">
          {notice}
        </p>
        <ErrorBanner error={error} />
        <div className="field-row">
          {input('username', t.operators.username, { autoComplete: 'off' })}
          {input('displayName', t.operators.displayName, { autoComplete: 'off' })}
          <div className="field">
            <label htmlFor="operator-role">{t.operators.role}</label>
            <select id="operator-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t.roles[role]}
                </option>
              ))}
            </select>
          </div>
          {input('password', t.operators.password, { type: 'password', autoComplete: 'new-password' }, t.operators.passwordHint)}
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          {t.operators.submit}
        </button>
      </form>
    </section>
  );
}
