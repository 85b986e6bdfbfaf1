import { describe, expect, it } from 'vitest';
import { CATALOGUE_TYPES } from './catalogue.js';
import { CLAIM_LABELS, claimLabel, claimPathLabel, claimValueLabel, type ClaimValueKind } from './claim-labels.js';
import { commonSchema, credentialSchema } from './schemas.js';

type Node = Readonly<Record<string, unknown>>;

/** A schema node with its `$ref` (to common.json's `$defs`, from a type's schema or from common.json) followed. */
function resolved(node: Node): Node {
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  const name = ref.split('#/$defs/')[1]!;
  const target = (commonSchema()['$defs'] as Record<string, Node>)[name]!;
  const { $ref: _ref, ...rest } = node;
  return { ...resolved(target), ...rest };
}

/** Every property of a schema by its label path (names joined by `.`, array items left out), with its resolved node. */
function schemaClaims(node: Node, prefix = ''): Map<string, Node> {
  const found = new Map<string, Node>();
  const here = resolved(node);
  const items = here['items'] ? resolved(here['items'] as Node) : undefined;
  const properties = (here['properties'] ?? items?.['properties']) as Record<string, Node> | undefined;
  for (const [name, child] of Object.entries(properties ?? {})) {
    const path = `${prefix}${name}`;
    found.set(path, resolved(child));
    for (const [nested, grandchild] of schemaClaims(child, `${path}.`)) found.set(nested, grandchild);
  }
  return found;
}

function kindOf(node: Node): ClaimValueKind | undefined {
  return node['format'] === 'date' ? 'date' : node['format'] === 'date-time' ? 'date-time' : undefined;
}

describe('claim labels', () => {
  it.each(CATALOGUE_TYPES)('%s: every schema property has a label whose Korean is its title, dates are marked, enum words cover the enum', (type) => {
    const claims = schemaClaims(credentialSchema(type));
    expect([...Object.keys(CLAIM_LABELS[type])].sort()).toEqual([...claims.keys()].sort());
    for (const [path, node] of claims) {
      const label = CLAIM_LABELS[type][path]!;
      expect(label.ko, `${type} ${path}`).toBe(node['title']);
      expect(label.en, `${type} ${path}`).toMatch(/^[A-Z]/);
      expect(label.value, `${type} ${path}`).toBe(kindOf(node));
      if (label.values) expect(Object.keys(label.values).sort(), `${type} ${path}`).toEqual([...(node['enum'] as string[])].sort());
    }
  });

  it('finds a claim by its path, skipping array indices, and knows nothing of other types or claims', () => {
    expect(claimLabel('SeoulCitizenCard', ['ageOver18'])).toMatchObject({ ko: '만 18세 이상', en: 'Age 18 or over' });
    expect(claimLabel('SeoulCitizenCard', ['residence', 'city'])).toMatchObject({ ko: '시·도', en: 'City or province' });
    expect(claimLabel('LaborContract', ['workDays', 0, 'day'])?.en).toBe('Day');
    expect(claimLabel('LaborContract', ['workDays', null, 'day'])?.en).toBe('Day');
    expect(claimLabel('SeoulCitizenCard', ['nickname'])).toBeUndefined();
    expect(claimLabel('https://other.example/vct/Card', ['ageOver18'])).toBeUndefined();
    expect(claimLabel(undefined, ['ageOver18'])).toBeUndefined();
    expect(claimLabel('SeoulCitizenCard', [])).toBeUndefined();
    // Not a prototype member either.
    expect(claimLabel('SeoulCitizenCard', ['constructor'])).toBeUndefined();
  });

  it('reads a path as words in either language, with the raw name where no label is known', () => {
    expect(claimPathLabel('SeoulCitizenCard', ['residence', 'city'], 'ko')).toBe('거주지 › 시·도');
    expect(claimPathLabel('SeoulCitizenCard', ['residence', 'city'], 'en')).toBe('Residence › City or province');
    expect(claimPathLabel('IncomeBracket', ['householdIncomePercentOfMedian'], 'en')).toBe('Household income (% of median)');
    expect(claimPathLabel('LaborContract', ['workDays', 1, 'day'], 'ko')).toBe('근로일 및 근로시간 › 2 › 요일');
    expect(claimPathLabel('LaborContract', ['breaks', null], 'en')).toBe('Breaks › *');
    expect(claimPathLabel('SeoulCitizenCard', ['residence', 'postcode'], 'ko')).toBe('거주지 › postcode');
    expect(claimPathLabel('https://other.example/vct/Card', ['memberSince'], 'ko')).toBe('memberSince');
  });

  it('says the words of an enumerated value, and nothing for a value it does not list', () => {
    expect(claimValueLabel('EnrollmentStatus', ['status'], 'on-leave', 'ko')).toBe('휴학');
    expect(claimValueLabel('EnrollmentStatus', ['status'], 'on-leave', 'en')).toBe('On leave');
    expect(claimValueLabel('EnrollmentStatus', ['status'], 'expelled', 'ko')).toBeUndefined();
    expect(claimValueLabel('EnrollmentStatus', ['status'], 'toString', 'ko')).toBeUndefined();
    expect(claimValueLabel('SeoulCitizenCard', ['residence', 'city'], '서울특별시', 'en')).toBeUndefined();
    expect(claimValueLabel('EnrollmentStatus', ['status'], true, 'ko')).toBeUndefined();
  });
});
