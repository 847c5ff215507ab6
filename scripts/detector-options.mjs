// Writes docs/detector-options.md from the detectors' option interfaces (their TSDoc is the source of
// truth). `node scripts/detector-options.mjs` rewrites the page; `--check` (run by
// test/docs/detectorOptions.test.ts) fails when the page and the source disagree.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The exported constant lists (`export const NAME = [...]`) of the feature modules, for defaults. */
function constantLists() {
  const lists = new Map();
  const dir = join(root, 'src/features');
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/export const ([A-Z_]+) = \[([^\]]*)\]/g))
      lists.set(m[1], m[2].replace(/\s+/g, ' ').replace(/,\s*$/, '').trim());
  }
  return lists;
}

/** Each detector's options interface: [detector id, its property signatures, the source file]. */
function optionInterfaces() {
  const dir = join(root, 'src/detectors');
  const out = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    const id = /\bid: '([a-z-]+)'/.exec(text)?.[1];
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    for (const node of source.statements) {
      if (!ts.isInterfaceDeclaration(node) || !node.name.text.endsWith('Options') || !id) continue;
      out.push([id, node.members.filter(ts.isPropertySignature), source]);
    }
  }
  return out;
}

/** Detector id → the option names its interface declares (what a registration's `options` must list). */
export function detectorOptionNames() {
  return Object.fromEntries(
    optionInterfaces().map(([id, members, source]) => [id, members.map((m) => m.name.getText(source))]),
  );
}

/** The markdown page: one table per detector, in file order. */
export function detectorOptionsPage() {
  const lists = constantLists();
  const sections = [];
  for (const [id, members, source] of optionInterfaces()) {
    const rows = members.map((member) => {
      const doc = ts
        .getJSDocCommentsAndTags(member)
        .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
        .join(' ')
        .replace(/\{@link ([^}]+)\}/g, (_, name) => (lists.has(name) ? `[${lists.get(name)}]` : `\`${name}\``))
        .replace(/\s+/g, ' ')
        .replace(/\|/g, '\\|')
        .trim();
      return `| \`${member.name.getText(source)}\` | \`${member.type?.getText(source) ?? ''}\` | ${doc} |`;
    });
    sections.push(`## \`${id}\`\n\n| option | type | meaning and default |\n|---|---|---|\n${rows.join('\n')}\n`);
  }
  return `# Detector options

Generated from the detectors' option interfaces by \`node scripts/detector-options.mjs\` (a test
keeps it in sync). Pass them per detector, in code or in the config file:

\`\`\`ts
analyze(ledgers, { detectorOptions: { 'account-extraction': { windowDays: 10 } } });
\`\`\`

\`\`\`json
{ "detectorOptions": { "account-extraction": { "windowDays": 10 } } }
\`\`\`

Every detector also takes \`seed\` (permutation tests; default 1). A value of the wrong type or
outside its range is an error naming the option, and so is a name the detector does not have
(with the closest one suggested).

${sections.join('\n')}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = join(root, 'docs/detector-options.md');
  if (process.argv.includes('--check')) {
    const same = readFileSync(path, 'utf8') === detectorOptionsPage();
    if (!same) console.error('docs/detector-options.md is out of date: run node scripts/detector-options.mjs');
    process.exit(same ? 0 : 1);
  }
  writeFileSync(path, detectorOptionsPage());
}
