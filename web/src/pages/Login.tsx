import { useState, type FormEvent } from 'react';
import { api, type ApiError } from '../lib/api.ts';
import { useI18n, type Locale } from '../lib/i18n.ts';
import type { MessageKey } from '../lib/messages.ts';

/** Sign-in, or on first run the creation of the first admin (there is no default password). */
export function Login(props: {
  setup: boolean;
  codeRequired?: boolean;
  message?: string;
  locale: Locale;
  onLocale(l: Locale): void;
  onDone(): void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(props.setup ? 'admin' : '');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [setupCode, setSetupCode] = useState('');
  const [error, setError] = useState<string | undefined>(props.message ? t(props.message as MessageKey) : undefined);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    if (props.setup && password !== again) return setError(t('login.mismatch'));
    setBusy(true);
    try {
      await api(
        'POST',
        props.setup ? '/setup' : '/session',
        {
          name,
          password,
          ...(props.setup ? { locale: props.locale } : {}),
          ...(props.codeRequired ? { setupCode } : {}),
        },
        { quiet401: true },
      );
      props.onDone();
    } catch (err) {
      const e = err as ApiError;
      setError(
        e.status === 401
          ? t('login.wrong')
          : props.setup && e.status === 403
            ? t('login.setupCodeWrong')
            : e.status === 429
              ? t('login.locked', { message: e.message })
              : e.message,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login">
      <form
        className="card login-card"
        onSubmit={submit}
        aria-label={props.setup ? t('login.setupTitle') : t('login.title')}
      >
        <div className="brand big">◉ Vigil</div>
        <h1>{props.setup ? t('login.setupTitle') : t('login.title')}</h1>
        {props.setup && <p className="muted">{t('login.setupHelp')}</p>}
        {props.codeRequired && (
          <label>
            {t('login.setupCode')}
            <input
              name="setupCode"
              autoComplete="one-time-code"
              value={setupCode}
              onChange={(e) => setSetupCode(e.target.value)}
              required
            />
            <span className="muted small">{t('login.setupCodeHelp')}</span>
          </label>
        )}
        <label>
          {t('login.name')}
          <input
            name="name"
            autoComplete="username"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            // biome-ignore lint/a11y/noAutofocus: the sign-in page has one job; focus starts in its first field
            autoFocus={!props.setup}
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete={props.setup ? 'new-password' : 'current-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={props.setup ? 8 : undefined}
            // biome-ignore lint/a11y/noAutofocus: as above (setup: the name is given, so the password)
            autoFocus={props.setup}
          />
        </label>
        {props.setup && (
          <label>
            {t('login.again')}
            <input
              name="again"
              type="password"
              autoComplete="new-password"
              value={again}
              onChange={(e) => setAgain(e.target.value)}
              required
              minLength={8}
            />
          </label>
        )}
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {props.setup ? t('login.create') : t('login.submit')}
        </button>
        <div className="row end">
          <select
            aria-label={t('settings.language')}
            value={props.locale}
            onChange={(e) => props.onLocale(e.target.value as Locale)}
          >
            <option value="en">English</option>
            <option value="ko">한국어</option>
          </select>
        </div>
      </form>
    </div>
  );
}
