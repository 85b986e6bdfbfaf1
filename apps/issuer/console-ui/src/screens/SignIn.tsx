import { useState, type FormEvent } from 'react';
import { api, type Session } from '../api.js';
import { useI18n } from '../i18n.js';
import { ErrorBanner } from '../ui.js';

/** Sign-in with the tenant's identifier, a username and a password. */
export function SignIn({ onSignedIn, notice }: { onSignedIn(session: Session): void; notice?: string }) {
  const { t } = useI18n();
  const [tenant, setTenant] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api.signIn(tenant.trim(), username.trim(), password));
    } catch (caught) {
      setError(caught);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sign-in card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t.signIn.title}</h1>
      <p>{t.signIn.intro}</p>
      {notice ? (
        <p className="banner info" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorBanner error={error} />
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="sign-in-tenant">{t.signIn.tenant}</label>
          <p className="field-hint" id="sign-in-tenant-hint">
            {t.signIn.tenantHint}
          </p>
          <input id="sign-in-tenant" aria-describedby="sign-in-tenant-hint" autoComplete="organization" required value={tenant} onChange={(e) => setTenant(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="sign-in-username">{t.signIn.username}</label>
          <input id="sign-in-username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="sign-in-password">{t.signIn.password}</label>
          <input id="sign-in-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <button type="submit" className="button primary" disabled={busy || !tenant || !username || !password}>
          {busy ? t.signIn.submitting : t.signIn.submit}
        </button>
      </form>
    </section>
  );
}
