import { createContext, useContext } from 'react';
import { dictionary, type MessageKey } from './messages.ts';

export type Locale = 'en' | 'ko';
export const LOCALES: Locale[] = ['en', 'ko'];

/** The browser's preferred supported language; English when none is. */
export function browserLocale(): Locale {
  for (const l of navigator.languages ?? [navigator.language]) if (l?.toLowerCase().startsWith('ko')) return 'ko';
  return 'en';
}

/** Translator and Intl formatters bound to one locale. */
export interface I18n {
  locale: Locale;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  num(n: number | undefined | null, digits?: number): string;
  pct(n: number | undefined | null): string;
  bps(n: number | undefined | null): string;
  ms(n: number | undefined | null): string;
  time(ts: number | undefined | null): string;
  date(ts: number | undefined | null): string;
  ago(ts: number | undefined | null): string;
}

export function makeI18n(locale: Locale): I18n {
  const tag = locale === 'ko' ? 'ko-KR' : 'en-GB';
  const nf = new Map<number, Intl.NumberFormat>();
  const numf = (d: number) => {
    let f = nf.get(d);
    if (!f) nf.set(d, (f = new Intl.NumberFormat(tag, { maximumFractionDigits: d })));
    return f;
  };
  const dtf = new Intl.DateTimeFormat(tag, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  const df = new Intl.DateTimeFormat(tag, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  const rtf = new Intl.RelativeTimeFormat(tag, { numeric: 'auto', style: 'short' });
  const idx = locale === 'ko' ? 1 : 0;
  const none = '—';
  return {
    locale,
    t(key, vars) {
      const entry = dictionary[key];
      let s: string = entry ? (entry[idx] ?? entry[0]) : key;
      if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
      return s;
    },
    num: (n, d = 1) => (n === undefined || n === null || Number.isNaN(n) ? none : numf(d).format(n)),
    pct: (n) => (n === undefined || n === null ? none : `${numf(n < 10 ? 1 : 0).format(n)}%`),
    bps(n) {
      if (n === undefined || n === null) return none;
      const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
      let v = n;
      let i = 0;
      while (Math.abs(v) >= 1000 && i < units.length - 1) {
        v /= 1000;
        i++;
      }
      return `${numf(v < 10 ? 2 : v < 100 ? 1 : 0).format(v)} ${units[i]}`;
    },
    ms: (n) => (n === undefined || n === null ? none : `${numf(n < 10 ? 2 : 1).format(n)} ms`),
    time: (ts) => (ts ? dtf.format(ts) : none),
    date: (ts) => (ts ? df.format(ts) : none),
    ago(ts) {
      if (!ts) return none;
      const s = Math.round((ts - Date.now()) / 1000);
      const a = Math.abs(s);
      if (a < 60) return rtf.format(s, 'second');
      if (a < 3600) return rtf.format(Math.round(s / 60), 'minute');
      if (a < 86400) return rtf.format(Math.round(s / 3600), 'hour');
      return rtf.format(Math.round(s / 86400), 'day');
    },
  };
}

export const I18nContext = createContext<I18n>(makeI18n('en'));
/** The current translator and formatters. */
export const useI18n = () => useContext(I18nContext);
