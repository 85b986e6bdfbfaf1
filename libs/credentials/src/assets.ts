import { existsSync, readFileSync } from 'node:fs';

// Resolved against this module so the same code reads src/assets/ under vitest and dist/assets/ once built.
const ASSETS = new URL('./assets/', import.meta.url);

/**
 * Reads a file shipped under this package's `assets/` folder.
 * @param relativePath - path inside `assets/`, e.g. `schemas/SeoulCitizenCard.json`.
 * @returns the file's exact bytes.
 * @throws the fs error when the file does not exist (a packaging fault, not bad input).
 */
export function readAssetBytes(relativePath: string): Buffer {
  return readFileSync(new URL(relativePath, ASSETS));
}

/**
 * Reads and parses a JSON file shipped under `assets/`.
 * @param relativePath - path inside `assets/`.
 * @returns the parsed value (a fresh object on every call).
 * @throws the fs error for a missing file, SyntaxError for malformed JSON.
 */
export function readJsonAsset(relativePath: string): unknown {
  return JSON.parse(readAssetBytes(relativePath).toString('utf8'));
}

/**
 * Tells whether a file exists under `assets/`.
 * @param relativePath - path inside `assets/`.
 * @returns true when the file is there.
 */
export function assetExists(relativePath: string): boolean {
  return existsSync(new URL(relativePath, ASSETS));
}
