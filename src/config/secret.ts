import { z } from 'zod';

/** A secret config string. Validated like a string; `redactSecrets` hides it by key name, and this marks it in the schema. */
export const secret = () => z.string().min(1).meta({ secret: true });
