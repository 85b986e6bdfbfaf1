import { z } from 'zod';
import { weakSecretReason } from './secret-strength.js';

/** Thrown when the environment does not describe a valid configuration; the message names each variable. */
export class ConfigError extends Error {
  /** One line per bad variable: `NAME: reason`. */
  readonly issues: readonly string[];

  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value as DeepReadonly<T>;
}

/**
 * Parses environment variables once into a typed, deeply frozen object.
 * @param schema - a zod object whose keys are the variable names (use {@link env} helpers)
 * @param source - the environment to read; the only place `process.env` is passed in is each app's `main`
 * @returns the parsed configuration
 * @throws ConfigError naming every variable that is missing or malformed
 */
export function loadConfig<S extends z.ZodObject>(schema: S, source: Record<string, string | undefined>): DeepReadonly<z.output<S>> {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return deepFreeze(result.data);
}

/** zod helpers for environment variables (which are always strings). */
export const env = {
  /** A TCP port with a default. */
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  /** A non-negative integer with a default (0 usually means "off"). */
  nonNegativeInt: (fallback: number) => z.coerce.number().int().min(0).default(fallback),
  /** A positive integer with a default. */
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  /** An http(s) URL with a default. */
  url: (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback),
  /**
   * An optional bearer token for `GET /metrics` (unset: the endpoint is off): at least 32 characters of a token
   * alphabet, so it fits an `Authorization` header and is not guessable.
   */
  metricsToken: () =>
    z
      .string()
      .regex(/^[A-Za-z0-9._~+/=-]{32,}$/, 'must be at least 32 characters of A-Z a-z 0-9 . _ ~ + / = -')
      .optional(),
  /** An optional URL of any protocol (database URLs). */
  optionalUrl: () => z.string().regex(/^[a-z][a-z0-9+.-]*:\/\//i, 'must be a URL').optional(),
  /** A boolean written as true/false/1/0. */
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
  /** 32 bytes of hex (a secret key); a weak value (see {@link weakSecretReason}) is refused, without echoing it. */
  hexKey: () =>
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (32 bytes)')
      .superRefine((value, context) => {
        const reason = weakSecretReason(value);
        if (reason) context.addIssue({ code: 'custom', message: reason });
      }),
  /**
   * A secp256k1 private key written `0x` + 64 hex characters (e.g. `CITY_ROOT_KEY`); a weak or publicly known one
   * (see {@link weakSecretReason}) is refused, without echoing it.
   */
  privateKey: () =>
    z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/, 'must be 0x + 64 hexadecimal characters')
      .superRefine((value, context) => {
        const reason = weakSecretReason(value.slice(2));
        if (reason) context.addIssue({ code: 'custom', message: reason });
      }),
};
