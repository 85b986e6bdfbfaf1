import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Resolves a file in `libs/testing/fixtures`. The path is taken relative to this module, so it
 * works from the TypeScript sources and from the built `dist/` alike.
 *
 * @param name - The fixture's path inside the fixtures folder, e.g. `merkle-vectors.json`;
 *   sub-folders are allowed, `..` segments and absolute paths are not.
 * @returns The absolute file-system path of the fixture. The file is not checked to exist.
 * @throws TypeError if `name` is empty, absolute, or climbs out of the fixtures folder.
 */
export function fixturePath(name: string): string {
  if (typeof name !== 'string' || name === '' || name.startsWith('/') || name.includes('\\')) {
    throw new TypeError(`Fixture name must be a relative path inside the fixtures folder, got ${JSON.stringify(name)}`);
  }
  if (name.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')) {
    throw new TypeError(`Fixture name must not contain empty, "." or ".." segments, got ${JSON.stringify(name)}`);
  }
  return fileURLToPath(new URL('../fixtures/' + name, import.meta.url));
}

/**
 * Reads and parses a JSON fixture from `libs/testing/fixtures`.
 *
 * @typeParam T - The shape the caller expects; it is not checked at run time.
 * @param name - The fixture's path inside the fixtures folder (see {@link fixturePath}).
 * @returns The parsed JSON, as `T`.
 * @throws TypeError for a bad name (see {@link fixturePath}).
 * @throws Error with code `ENOENT` if the fixture does not exist.
 * @throws SyntaxError if the file is not valid JSON.
 */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}
export { testDatabase, testPostgresUrl } from './database.js';
export {
  DIGIT_SCRIPT_ZEROS,
  DIGIT_SYMBOL_TABLES,
  disguisedResidentRegistrationNumber,
  disguisedResidentRegistrationNumbers,
  GROUP_SEPARATORS,
  INVISIBLE_CHARACTERS,
  NUMBER_SEPARATORS,
  ordinaryText,
  PUNCTUATED_DIGIT_TABLES,
  SPACED_GROUP_SEPARATORS,
} from './personal-data.js';
export type { DisguisedNumber } from './personal-data.js';
export type { TestDatabase } from './database.js';
export { loadFormatVector, testJwsSigner } from './format-vectors.js';
export type { FormatVector, FormatVectorKey, TamperedVector, TestJwsSigner } from './format-vectors.js';
export { cafeContractTerms, partTimeSchedule } from './labor-terms.js';
export { startStallProxy } from './stall-proxy.js';
export type { StallProxy } from './stall-proxy.js';
