export { configSchema, type VigilConfig } from './schema.ts';
export { loadConfig, validateConfig, formatPath } from './load.ts';
export { envNameFor } from '../model/env.ts';
