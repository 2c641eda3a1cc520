import { z } from 'zod';

/** Notification channels and routes. The notify module owns and extends this schema. */
export const notifyConfigSchema = z.object({}).passthrough();
