import { useEffect, useState } from 'react';
import { api, itemsOf } from './api.ts';
import type { DeviceView } from './types.ts';

// One shared, periodically refreshed copy of the device list: the overview, events and logs pages
// all need id → name without each fetching 2,000 devices.
let cache: { at: number; devices: DeviceView[] } | undefined;
let inflight: Promise<DeviceView[]> | undefined;
const subscribers = new Set<(d: DeviceView[]) => void>();

export function loadDevices(force = false): Promise<DeviceView[]> {
  if (!force && cache && Date.now() - cache.at < 30_000) return Promise.resolve(cache.devices);
  inflight ??= api('GET', '/devices')
    .then((r) => itemsOf<DeviceView>(r, 'devices'))
    .catch(() => cache?.devices ?? [])
    .then((devices) => {
      cache = { at: Date.now(), devices };
      inflight = undefined;
      subscribers.forEach((s) => s(devices));
      return devices;
    });
  return inflight;
}

/** id → device, from the shared list. */
export function useDeviceIndex(): Map<string, DeviceView> {
  const [devices, setDevices] = useState<DeviceView[]>(cache?.devices ?? []);
  useEffect(() => {
    subscribers.add(setDevices);
    void loadDevices();
    return () => void subscribers.delete(setDevices);
  }, []);
  const [index, setIndex] = useState(() => new Map<string, DeviceView>());
  useEffect(() => setIndex(new Map(devices.map((d) => [d.id, d]))), [devices]);
  return index;
}
