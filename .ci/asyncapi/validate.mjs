// Parses an AsyncAPI document with the official parser and prints every diagnostic of severity
// error (0) as "path: message"; exits 1 when there is one. Usage: node validate.mjs FILE
import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';

const file = process.argv[2];
const parser = new Parser();
const { document, diagnostics } = await parser.parse(readFileSync(file, 'utf8'), { source: file });
const errors = diagnostics.filter(d => d.severity === 0);
for (const d of errors) {
  console.log(`${d.path.join('.')}: ${d.message}`);
}
if (!document || errors.length > 0) {
  console.log(`${file}: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(`${file}: valid AsyncAPI ${document.version()}, ${document.channels().length} channels, ${diagnostics.length} warnings`);
