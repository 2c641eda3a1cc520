/**
 * Every error Vigil reports is declared here once, with a stable code and its HTTP status.
 * Wrap with context: `new VigilError('VIGIL_SNMP_TIMEOUT', 'device core-sw1 (10.0.0.1): walk IF-MIB::ifXTable: timeout after 5000 ms')`.
 */
export const ERROR_CODES = {
  VIGIL_BAD_REQUEST: 400,
  VIGIL_VALIDATION: 400,
  VIGIL_UNAUTHENTICATED: 401,
  VIGIL_FORBIDDEN: 403,
  VIGIL_NOT_FOUND: 404,
  VIGIL_CONFLICT: 409,
  VIGIL_TOO_MANY_REQUESTS: 429,
  VIGIL_INTERNAL: 500,
  VIGIL_UNAVAILABLE: 503,
  VIGIL_CONFIG: 500,
  VIGIL_PORT_IN_USE: 500,
  VIGIL_SNMP_TIMEOUT: 504,
  VIGIL_SNMP_AUTH: 502,
  VIGIL_SNMP_UNKNOWN_ENGINE: 502,
  VIGIL_SNMP_ERROR: 502,
  VIGIL_SNMP_UNREACHABLE: 502,
  VIGIL_ICMP_ERROR: 502,
  VIGIL_MIB_PARSE: 422,
  VIGIL_RULE_INVALID: 400,
  VIGIL_NOTIFY_FAILED: 502,
  VIGIL_CANCELLED: 499,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'VigilError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = details;
  }
}

export const isVigilError = (e: unknown): e is VigilError => e instanceof VigilError;
