import fs from 'node:fs';
import path from 'node:path';
import { lintXml } from '../server/engine/model-linter.js';
const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.bpmn') ? [path.join(d, e.name)] : []);
for (const f of walk('processes')) {
  const issues = await lintXml(fs.readFileSync(f, 'utf8'), {});
  console.log(f, issues?.map((i) => `${i.category} ${i.rule} ${i.elementId} ${i.message.en} | ${i.message.fa}`));
}
for (const f of walk('test/fixtures')) {
  const issues = await lintXml(fs.readFileSync(f, 'utf8'), {});
  const errs = issues?.filter((i) => i.category === 'error');
  if (errs?.length) console.log('FIXTURE', f, errs.map((i) => `${i.rule} ${i.elementId}`).join('; '));
}
