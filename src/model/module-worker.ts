/**
 * Starts a worker thread on a module of this code base, from source (`.ts`, through tsx) or from the build (`.js`).
 * A worker does not inherit tsx's loader on every Node version, so from source it registers the loader first.
 * @example const w = startModuleWorker(new URL('./writer-worker.ts', import.meta.url), { dataDir }, { maxOldGenerationSizeMb: 128 });
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';

export function startModuleWorker(entry: URL, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  if (entry.pathname.endsWith('.ts')) {
    const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
    return new Worker(code, { eval: true, workerData, ...(resourceLimits ? { resourceLimits } : {}) });
  }
  return new Worker(entry, { workerData, ...(resourceLimits ? { resourceLimits } : {}) });
}

/** The URL of a sibling module in the form this code runs as (`.ts` from source, `.js` from the build). */
export const siblingModule = (base: string, name: string): URL =>
  new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
