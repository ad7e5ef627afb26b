import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { FormRegistry } from '../../server/engine/forms.js';
import { projectRoot } from '../../server/project-root.js';

const formsDir = path.join(projectRoot(), 'schemas', 'forms');

describe('engine/form-schema-rules', () => {
  const registry = new FormRegistry(formsDir);

  it("should accept every one of the office's repository forms", () => {
    // given
    const forms = Object.fromEntries(
      registry
        .repositoryKeys()
        .map((k) => [k, JSON.parse(fs.readFileSync(path.join(formsDir, `${k}.json`), 'utf8'))]),
    );
    // when
    const problems = registry.problems(forms);
    // then
    expect(Object.keys(forms)).to.have.length.greaterThan(40);
    expect(problems).to.deep.equal([]);
  });

  it('should name an unbounded text, an unlabelled option and an unknown visibility field', () => {
    // given
    const form = {
      type: 'object',
      'x-title': { fa: 'آزمایش', en: 'Test' },
      properties: {
        text: { type: 'string', 'x-label': { fa: 'متن', en: 'Text' }, 'x-show-if': { field: 'missing' } },
        choice: {
          type: 'string',
          enum: ['a', 'b'],
          'x-label': { fa: 'گزینه', en: 'Choice' },
          'x-enum-labels': { a: { fa: 'الف', en: 'A' } },
        },
      },
    };
    // when
    const problems = registry.problems({ test: form }).map((p) => `${p.path} ${p.message.en}`);
    // then
    expect(problems).to.deep.equal([
      '/properties/text A text field needs a maximum length (maxLength).',
      '/properties/text/x-show-if The visibility condition does not name a field of the form.',
      '/properties/choice Option "b" needs a Dari and an English label.',
    ]);
  });
});
