import type { Device } from '../model/device.ts';
import { globMatcher } from './glob.ts';
import { safeRegExp } from './safe-regex.ts';

/** Which devices a rule covers; empty or absent means every device. */
export interface DeviceSelector {
  ids?: string[];
  tags?: string[];
  groups?: string[];
}

export function matchesDevice(
  sel: DeviceSelector | undefined,
  deviceId: string | undefined,
  device: Device | undefined,
): boolean {
  if (!sel || (!sel.ids?.length && !sel.tags?.length && !sel.groups?.length)) return true;
  if (!deviceId) return false;
  if (sel.ids?.includes(deviceId)) return true;
  if (device?.group && sel.groups?.includes(device.group)) return true;
  if (device && sel.tags?.some((t) => device.tags.includes(t))) return true;
  return false;
}

/**
 * A name pattern: `/regex/flags`, a glob with `*` and `?`, or an exact name.
 * @example compilePattern('Gi0/*')('Gi0/1') // true
 */
export function compilePattern(pattern: string): (value: string) => boolean {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (re) {
    const r = safeRegExp(re[1], re[2]);
    return (v) => r.test(v);
  }
  if (/[*?]/.test(pattern)) {
    return globMatcher(pattern);
  }
  return (v) => v === pattern;
}

/** Label name → pattern; every one must match (a missing label does not). */
export function compileLabelMatcher(
  components: Record<string, string> | undefined,
): (labels: Record<string, string>) => boolean {
  if (!components || !Object.keys(components).length) return () => true;
  const tests = Object.entries(components).map(([k, p]) => [k, compilePattern(p)] as const);
  return (labels) => tests.every(([k, t]) => labels[k] !== undefined && t(labels[k]));
}

/** Canonical text of labels, so `{b,a}` and `{a,b}` are one component. */
export function labelsKey(labels: Record<string, string>): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  if (keys.length === 1) return `${keys[0]}=${labels[keys[0]]}`;
  // Two labels (ifIndex + ifName, the common case) without sorting a fresh array.
  if (keys.length === 2) {
    const [a, b] = keys[0] < keys[1] ? [keys[0], keys[1]] : [keys[1], keys[0]];
    return `${a}=${labels[a]},${b}=${labels[b]}`;
  }
  return keys
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/** The component name shown for a sample's labels: ifName, then name, then the label text. */
export function componentOf(labels: Record<string, string>): string | undefined {
  return labels.ifName ?? labels.name ?? labels.ifDescr ?? (Object.keys(labels).length ? labelsKey(labels) : undefined);
}

/** `{{device}} at {{value}}` with values from `vars`; unknown names stay empty. */
export function renderTemplate(template: string, vars: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    const v = name
      .split('.')
      .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), vars);
    return v === undefined || v === null ? '' : typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v);
  });
}
