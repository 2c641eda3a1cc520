export type { Bus, BatchHandler, SubscribeOptions, Subscription } from './types.ts';
export { createMemoryBus } from './memory.ts';
