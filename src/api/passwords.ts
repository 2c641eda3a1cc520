import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// N=2^15, r=8, p=1: OWASP's scrypt floor; ~50 ms per hash here, slow enough for guessing, fast enough for logins.
const PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEYLEN,
      { ...opts, maxmem: 128 * (opts.N ?? 0) * (opts.r ?? 8) * 2 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

/**
 * Hashes a password with scrypt and a per-user random salt; the result carries its parameters.
 * @example const stored = await hashPassword('correct horse'); // "scrypt$32768$8$1$<salt>$<hash>"
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches a hash made by `hashPassword` (constant-time compare). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const want = Buffer.from(parts[5], 'base64url');
  const got = await derive(password, salt, { N, r, p });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Minimum rules for a new password; returns the reason it is refused, or undefined. */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string') return 'password is required';
  if (password.length < 8) return 'password must be at least 8 characters';
  if (password.length > 1024) return 'password is too long';
  return undefined;
}
