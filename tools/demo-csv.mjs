// Writes the agencies' bulk-offer imports of the embedded demo: one CSV per issuing tenant,
// config/demo-citizens/<tenant>.csv, made from the demo citizens (config/demo-citizens.json). Each file is what
// POST /oid4vci/offers/bulk takes as `csv`: a header of claim names (nested ones dotted, `residence.city`), then one
// line per citizen who holds that agency's credential, in the file's order. Run after editing the citizens:
//   node tools/demo-csv.mjs
// test/integration/demo-citizens.spec.ts fails while the files on disk differ from what this writes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The tenant that issues each demo credential type (the catalogue's issuer of the type, libs/credentials). */
export const DEMO_AGENCIES = Object.freeze({
  SeoulCitizenCard: 'seoul-citizen',
  EnrollmentStatus: 'education-office',
  IncomeBracket: 'health-insurance',
  EmploymentInsuranceStatus: 'employment-insurance',
  RentalStatus: 'housing',
});

/** `[dotted path, value]` of every leaf claim, in the claims' order. */
function leaves(claims, prefix = '') {
  return Object.entries(claims).flatMap(([name, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? leaves(value, `${prefix}${name}.`) : [[`${prefix}${name}`, value]],
  );
}

/** One RFC 4180 field: quoted when it holds a comma, a quote, a line break or edge spaces. */
function field(value) {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The CSV text of each agency's import.
 * @param {{ citizens: Array<{ credentials: Record<string, Record<string, unknown>> }> }} demo - the parsed citizens file
 * @returns {Map<string, string>} file name (`<tenant>.csv`) to CSV text (LF line ends, a final line break)
 * @throws Error for a credential type no demo agency issues
 */
export function demoCsvFiles(demo) {
  const files = new Map();
  for (const [type, tenant] of Object.entries(DEMO_AGENCIES)) {
    const rows = demo.citizens.flatMap((citizen) => (citizen.credentials[type] ? [new Map(leaves(citizen.credentials[type]))] : []));
    if (rows.length === 0) continue;
    const columns = [...new Set(rows.flatMap((row) => [...row.keys()]))];
    const lines = [columns.map(field).join(','), ...rows.map((row) => columns.map((column) => field(row.get(column))).join(','))];
    files.set(`${tenant}.csv`, `${lines.join('\n')}\n`);
  }
  for (const citizen of demo.citizens) {
    for (const type of Object.keys(citizen.credentials)) {
      if (!(type in DEMO_AGENCIES)) throw new Error(`no demo agency issues ${type}`);
    }
  }
  return files;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const demo = JSON.parse(readFileSync(join(root, 'config/demo-citizens.json'), 'utf8'));
  const dir = join(root, 'config/demo-citizens');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of demoCsvFiles(demo)) {
    writeFileSync(join(dir, name), text);
    console.log(`demo-csv: wrote config/demo-citizens/${name}`);
  }
}
