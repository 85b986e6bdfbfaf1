import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** `var/demo/tenants.json`: where a developer finds the URLs and demo API keys. A stable contract. */
export const demoFileSchema = z.object({
  issuerUrl: z.string(),
  verifierUrl: z.string(),
  walletUrl: z.string(),
  chainRpcUrl: z.string(),
  tenants: z.array(
    z.object({
      slug: z.string(),
      name: z.string(),
      did: z.string(),
      apiKey: z.string(),
      /** The tenant's demo console admin (added later: absent in files written before the console). */
      console: z.object({ username: z.string(), password: z.string() }).optional(),
    }),
  ),
});

/** Contents of the demo file. */
export type DemoFile = z.output<typeof demoFileSchema>;

/** Reads the demo file; null when missing or unreadable (keys are then issued afresh). */
export function readDemoFile(file: string): DemoFile | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = demoFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Writes the demo file (owner-readable only: it holds API keys). */
export function writeDemoFile(file: string, contents: DemoFile): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
}
