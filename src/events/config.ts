import { z } from 'zod';

/** Event engine and rules. The events module owns and extends this schema. */
export const eventsConfigSchema = z.object({}).passthrough();
