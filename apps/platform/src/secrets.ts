import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const secretsSchema = z.object({
  keyEncryptionSecret: z.string().regex(/^[0-9a-f]{64}$/),
  cityRootKey: z.string().regex(/^0x[0-9a-f]{64}$/),
});

/** Secrets of the embedded mode, generated on first start and kept under var/ (never in the repository). */
export type EmbeddedSecrets = z.output<typeof secretsSchema>;

/**
 * Reads the embedded-mode secrets, creating them (readable by the owner only) on first start.
 * Secrets given by the operator (`KEY_ENCRYPTION_SECRET`, `CITY_ROOT_KEY`) take precedence, as in production.
 * @throws Error when the file exists but is malformed (it is never silently replaced: keys depend on it)
 */
export function loadOrCreateSecrets(file: string, overrides: { keyEncryptionSecret?: string | undefined; cityRootKey?: string | undefined }): EmbeddedSecrets {
  let stored: EmbeddedSecrets;
  if (existsSync(file)) {
    let content: unknown;
    try {
      content = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      content = null;
    }
    const parsed = secretsSchema.safeParse(content);
    if (!parsed.success) throw new Error(`${file} is malformed; restore it from a backup or delete var/ to start afresh`);
    stored = parsed.data;
  } else {
    stored = { keyEncryptionSecret: randomBytes(32).toString('hex'), cityRootKey: `0x${randomBytes(32).toString('hex')}` };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    keyEncryptionSecret: overrides.keyEncryptionSecret ?? stored.keyEncryptionSecret,
    cityRootKey: overrides.cityRootKey ?? stored.cityRootKey,
  };
}
