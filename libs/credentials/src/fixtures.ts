import { assetExists, readJsonAsset } from './assets.js';
import { type CatalogueTypeName, credentialTypeInfo } from './catalogue.js';
import { deepFreeze } from './deep-freeze.js';
import type { SubjectByType } from './subjects.js';

/** A subject that must fail validation, with the errors a validator has to report for it (at least these). */
export interface InvalidExample {
  /** What is wrong, in a sentence. */
  readonly description: string;
  readonly subject: unknown;
  readonly expectedErrors: readonly { readonly path: string; readonly keyword: string }[];
}

const cache = new Map<string, unknown>();

function load(file: string, optional: boolean): unknown {
  if (!cache.has(file)) {
    const path = `fixtures/${file}`;
    cache.set(file, deepFreeze(optional && !assetExists(path) ? [] : readJsonAsset(path)));
  }
  return cache.get(file);
}

/**
 * Returns the realistic example subject of a type (fictitious people, Korean names), e.g. for tests, demos and API
 * documentation. The examples tell one story: 김서연, a Seoul graduate working part-time in a café in Mapo-gu.
 * @param type - a catalogue type name.
 * @returns a deep copy the caller may modify.
 * @throws TypeError when `type` is not in the catalogue.
 */
export function exampleSubject<T extends CatalogueTypeName>(type: T): SubjectByType[T] {
  const name = credentialTypeInfo(type).type;
  return structuredClone(load(`${name}.valid.json`, false)) as SubjectByType[T];
}

/**
 * Returns the shipped invalid examples of a type (there are some for SeoulCitizenCard, EmploymentInsuranceStatus,
 * YouthAllowanceEligibility, LaborContract and RentalStatus).
 * @param type - a catalogue type name.
 * @returns deep copies; an empty list when the type has none.
 * @throws TypeError when `type` is not in the catalogue.
 */
export function invalidExamples(type: CatalogueTypeName): InvalidExample[] {
  const name = credentialTypeInfo(type).type;
  return structuredClone(load(`${name}.invalid.json`, true)) as InvalidExample[];
}
