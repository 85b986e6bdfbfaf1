// Module-boundary check (Nx's tag model, without @nx/* plugins whose peers reject Nest 12).
// Every project has a project.json with `scope:*` and `type:*` tags; imports must follow:
//   apps → libs (never another app); libs never import apps;
//   util → nothing of ours; domain → util, domain; data-access → util, domain, data-access;
//   feature → util, domain, data-access, feature; ui (browser components) → util, ui, and no Node built-in;
//   scope:X → scope:X or scope:shared (scope:platform, the operator CLI, may use any scope).
// Test files may also import @citycred/testing. Run: node tools/boundaries.mjs
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtinModules } from 'node:module';

const NODE_BUILTINS = new Set(builtinModules);

const ALLOWED_TYPES = {
  app: ['util', 'domain', 'data-access', 'feature', 'ui'],
  feature: ['util', 'domain', 'data-access', 'feature', 'ui'],
  ui: ['util', 'ui'],
  'data-access': ['util', 'domain', 'data-access'],
  domain: ['util', 'domain'],
  util: [],
};

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield full;
  }
}

/** Reads every project of the workspace at `root`: name, package name, root dir, scope and type tags. */
export function readProjects(root) {
  const dirs = [];
  if (existsSync(join(root, 'anchors', 'project.json'))) dirs.push(join(root, 'anchors'));
  for (const group of ['apps', 'libs']) {
    if (!existsSync(join(root, group))) continue;
    for (const name of readdirSync(join(root, group))) {
      if (existsSync(join(root, group, name, 'project.json'))) dirs.push(join(root, group, name));
    }
  }
  return dirs.map((dir) => {
    const project = JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const tags = project.tags ?? [];
    const scope = tags.find((t) => t.startsWith('scope:'))?.slice(6);
    const type = tags.find((t) => t.startsWith('type:'))?.slice(5);
    return { name: project.name, packageName: pkg.name, dir, scope, type };
  });
}

const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

/** Lists every import that breaks the rules, as `file: message` strings (empty when all is well). */
export function checkBoundaries(root) {
  const projects = readProjects(root);
  const byPackage = new Map(projects.map((p) => [p.packageName, p]));
  const violations = [];
  for (const p of projects) {
    if (!p.scope || !ALLOWED_TYPES[p.type]) {
      violations.push(`${relative(root, p.dir)}/project.json: needs a scope:* tag and a type:* tag (app, feature, ui, data-access, domain, util)`);
      continue;
    }
    for (const file of walk(p.dir)) {
      const isTest = /\.spec\.(ts|mts)$/.test(file) || file.includes(`${sep}test${sep}`);
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(IMPORT_RE)) {
        const spec = match[1] ?? match[2] ?? match[3];
        const where = `${relative(root, file)}: imports ${spec}`;
        if (p.type === 'ui' && !isTest && (spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]))) {
          violations.push(`${where} — type:ui is browser code and may not import a Node built-in`);
          continue;
        }
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          if (!target.startsWith(p.dir + sep)) violations.push(`${where} — reaches outside ${p.name} by a relative path; import its package instead`);
          continue;
        }
        const pkgName = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        const target = byPackage.get(pkgName);
        if (!target || target === p) continue;
        if (isTest && target.packageName === '@citycred/testing') continue;
        if (target.type === 'app') {
          violations.push(`${where} — ${p.type === 'app' ? 'an app' : 'a lib'} may not import the app ${target.name}`);
          continue;
        }
        if (!ALLOWED_TYPES[p.type].includes(target.type)) {
          violations.push(`${where} — type:${p.type} may not depend on type:${target.type}`);
          continue;
        }
        if (target.scope !== 'shared' && target.scope !== p.scope && p.scope !== 'platform') {
          violations.push(`${where} — scope:${p.scope} may not depend on scope:${target.scope}`);
        }
      }
    }
  }
  return violations;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const violations = checkBoundaries(root);
  for (const v of violations) console.error(v);
  console.log(violations.length === 0 ? 'boundaries: ok' : `boundaries: ${violations.length} violation(s)`);
  process.exit(violations.length === 0 ? 0 : 1);
}
