import { lazy, Suspense, type ReactNode } from 'react';
import { useAuth } from './lib/auth.ts';
import { useI18n, type Locale } from './lib/i18n.ts';
import type { MessageKey } from './lib/messages.ts';
import { match, navigate, useLocation } from './lib/router.ts';
import { Link } from './components/Link.tsx';
import { Overview } from './pages/Overview.tsx';
import { Devices } from './pages/Devices.tsx';
import { DevicePage } from './pages/Device.tsx';

// Pages away from the daily path load on demand so the first render stays small.
const Events = lazy(() => import('./pages/Events.tsx').then((m) => ({ default: m.Events })));
const Logs = lazy(() => import('./pages/Logs.tsx').then((m) => ({ default: m.Logs })));
const Traps = lazy(() => import('./pages/Traps.tsx').then((m) => ({ default: m.Traps })));
const Mib = lazy(() => import('./pages/Mib.tsx').then((m) => ({ default: m.Mib })));
const Discovery = lazy(() => import('./pages/Discovery.tsx').then((m) => ({ default: m.Discovery })));
const Topology = lazy(() => import('./pages/Topology.tsx').then((m) => ({ default: m.Topology })));
const Wireless = lazy(() => import('./pages/Wireless.tsx').then((m) => ({ default: m.Wireless })));
const WirelessAp = lazy(() => import('./pages/WirelessAp.tsx').then((m) => ({ default: m.WirelessAp })));
const Settings = lazy(() => import('./pages/Settings.tsx').then((m) => ({ default: m.Settings })));

const NAV: { path: string; key: MessageKey; icon: string }[] = [
  { path: '/', key: 'nav.overview', icon: '◎' },
  { path: '/devices', key: 'nav.devices', icon: '▤' },
  { path: '/wireless', key: 'nav.wireless', icon: '≋' },
  { path: '/events', key: 'nav.events', icon: '⚑' },
  { path: '/logs', key: 'nav.logs', icon: '≡' },
  { path: '/traps', key: 'nav.traps', icon: '⇶' },
  { path: '/mib', key: 'nav.mib', icon: '⌘' },
  { path: '/topology', key: 'nav.topology', icon: '⬡' },
  { path: '/discovery', key: 'nav.discovery', icon: '⊕' },
  { path: '/settings', key: 'nav.settings', icon: '⚙' },
];

function route(path: string): ReactNode {
  if (path === '/' || path === '') return <Overview />;
  if (path === '/devices') return <Devices />;
  const dev = match('/devices/:id', path);
  if (dev) return <DevicePage id={dev.id} />;
  const ap = match('/wireless/:id/aps/:ap', path);
  if (ap) return <WirelessAp key={`${ap.id}/${ap.ap}`} controller={ap.id} ap={ap.ap} />;
  const wireless = match('/wireless/:id', path);
  if (path === '/wireless' || wireless) return <Wireless controller={wireless?.id} />;
  if (path === '/events' || match('/events/:id', path)) return <Events />;
  if (path === '/logs') return <Logs />;
  if (path === '/traps') return <Traps />;
  if (path === '/mib') return <Mib />;
  if (path === '/topology') return <Topology />;
  if (path === '/discovery') return <Discovery />;
  if (path.startsWith('/settings')) return <Settings />;
  return <NotFound />;
}

function NotFound() {
  const { t } = useI18n();
  return <div className="empty">{t('common.notFound')}</div>;
}

/** The signed-in frame: navigation, language, theme, user menu, and the page for the current path. */
export function Shell() {
  const { path } = useLocation();
  const { t, locale } = useI18n();
  const auth = useAuth();
  const theme = document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
  const active = (p: string) => (p === '/' ? path === '/' : path === p || path.startsWith(`${p}/`));
  return (
    <div className="shell">
      <nav className="side" aria-label="main">
        <Link className="brand" to="/">
          ◉ Vigil
        </Link>
        {NAV.map((n) => (
          <Link key={n.path} to={n.path} className={active(n.path) ? 'nav active' : 'nav'} data-nav={n.path}>
            <span className="icon">{n.icon}</span>
            {t(n.key)}
          </Link>
        ))}
      </nav>
      <div className="main">
        <header className="top">
          <div className="grow" />
          <select
            aria-label={t('settings.language')}
            data-testid="locale"
            value={locale}
            onChange={(e) => auth.savePrefs({ locale: e.target.value as Locale })}
          >
            <option value="en">English</option>
            <option value="ko">한국어</option>
          </select>
          <button
            type="button"
            className="ghost"
            data-testid="theme"
            title={t('settings.theme')}
            onClick={() => auth.savePrefs({ theme: theme === 'dark' ? 'light' : 'dark' })}
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <span className="who" data-testid="who">
            {auth.me.name}{' '}
            <span className={`role role-${auth.me.role}`}>{t(`role.${auth.me.role}` as MessageKey)}</span>
          </span>
          <button type="button" className="ghost" onClick={() => (auth.logout(), navigate('/'))}>
            {t('nav.logout')}
          </button>
        </header>
        <main className="content">
          <Suspense fallback={<div className="muted pad">{t('common.loading')}</div>}>{route(path)}</Suspense>
        </main>
      </div>
    </div>
  );
}
