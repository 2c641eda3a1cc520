import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, setUnauthenticatedHandler } from './lib/api.ts';
import { AuthContext, roleAllows, type Auth, type Me } from './lib/auth.ts';
import { browserLocale, I18nContext, makeI18n, type Locale } from './lib/i18n.ts';
import { Login } from './pages/Login.tsx';
import { Shell } from './Shell.tsx';

type Phase =
  | { kind: 'loading' }
  | { kind: 'setup'; codeRequired: boolean }
  | { kind: 'login'; message?: string }
  | { kind: 'in'; me: Me };

const prefersDark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

/** The gate: first-admin setup, login, or the signed-in app; language and theme from the user, else the browser. */
export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [guestLocale, setGuestLocale] = useState<Locale>(
    () => (localStorage.getItem('vigil.locale') as Locale) || browserLocale(),
  );
  const [guestTheme, setGuestTheme] = useState<'light' | 'dark'>(
    () => (localStorage.getItem('vigil.theme') as 'light' | 'dark') || (prefersDark() ? 'dark' : 'light'),
  );

  const check = useCallback(async () => {
    try {
      const me = await api<Me>('GET', '/session', undefined, { quiet401: true });
      setPhase({ kind: 'in', me });
    } catch {
      try {
        const s = await api<{ needed: boolean; codeRequired?: boolean }>('GET', '/setup');
        setPhase(s.needed ? { kind: 'setup', codeRequired: !!s.codeRequired } : { kind: 'login' });
      } catch {
        setPhase({ kind: 'login' });
      }
    }
  }, []);
  useEffect(() => {
    setUnauthenticatedHandler(() => setPhase({ kind: 'login', message: 'session.expired' }));
    void check();
  }, [check]);

  const me = phase.kind === 'in' ? phase.me : undefined;
  const locale: Locale = (me?.user?.locale as Locale) || guestLocale;
  const theme = me?.user?.theme || guestTheme;
  const i18n = useMemo(() => makeI18n(locale), [locale]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.lang = locale;
  }, [theme, locale]);

  const auth = useMemo<Auth | null>(() => {
    if (!me) return null;
    return {
      me,
      can: (role) => roleAllows(me.role, role),
      logout: () => {
        void api('DELETE', '/session').finally(() => setPhase({ kind: 'login' }));
      },
      savePrefs: (p) => {
        if (p.locale) localStorage.setItem('vigil.locale', p.locale);
        if (p.theme) localStorage.setItem('vigil.theme', p.theme);
        if (p.locale) setGuestLocale(p.locale as Locale);
        if (p.theme) setGuestTheme(p.theme);
        if (!me.user) return;
        setPhase({
          kind: 'in',
          me: {
            ...me,
            user: {
              ...me.user,
              ...(p.locale !== undefined ? { locale: p.locale ?? undefined } : {}),
              ...(p.theme !== undefined ? { theme: p.theme ?? undefined } : {}),
            },
          },
        });
        void api('PATCH', '/me', p).catch(() => {});
      },
    };
  }, [me]);

  return (
    <I18nContext.Provider value={i18n}>
      {phase.kind === 'loading' && <div className="splash">Vigil</div>}
      {(phase.kind === 'setup' || phase.kind === 'login') && (
        <Login
          setup={phase.kind === 'setup'}
          codeRequired={phase.kind === 'setup' && phase.codeRequired}
          message={phase.kind === 'login' ? phase.message : undefined}
          locale={locale}
          onLocale={(l) => {
            localStorage.setItem('vigil.locale', l);
            setGuestLocale(l);
          }}
          onDone={() => void check()}
        />
      )}
      {auth && (
        <AuthContext.Provider value={auth}>
          <Shell />
        </AuthContext.Provider>
      )}
    </I18nContext.Provider>
  );
}
