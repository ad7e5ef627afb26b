import { expect } from 'chai';
import type { FormDesign } from '../../client/src/forms/form-builder.js';
import { FormRegistry } from '../../server/engine/forms.js';

/** A designed form with every kind of limit the designer writes, and a field shown only for family leave. */
const design: FormDesign = {
  key: 'parity',
  title: { fa: 'آزمایش', en: 'Parity' },
  fields: [
    { name: 'days', type: 'number', integer: true, minimum: 1, maximum: 10, required: true },
    {
      name: 'reason',
      type: 'choice',
      required: true,
      options: [
        { value: 'sick', label: { fa: 'مریضی', en: 'Sickness' } },
        { value: 'family', label: { fa: 'فامیلی', en: 'Family' } },
      ],
    },
    {
      name: 'note',
      type: 'longText',
      minLength: 3,
      maxLength: 20,
      required: true,
      showIf: { field: 'reason', equals: 'family' },
    },
    { name: 'from', type: 'date', minDate: '2026-03-21', maxDate: '2027-03-20', required: false },
    { name: 'office', type: 'group', required: false },
    { name: 'title', type: 'text', maxLength: 10, required: false, showIf: { field: 'office' } },
  ].map((f) => ({
    label: { fa: f.name, en: f.name },
    help: { fa: '', en: '' },
    options: [],
    ...f,
  })) as FormDesign['fields'],
};

const cases: Array<Record<string, unknown>> = [
  {},
  { days: 5, reason: 'sick' },
  { days: 0, reason: 'sick' },
  { days: 11, reason: 'holiday' },
  { days: 2.5, reason: 'sick' },
  { days: 3, reason: 'family' },
  { days: 3, reason: 'family', note: 'ab' },
  { days: 3, reason: 'family', note: 'a'.repeat(21) },
  { days: 3, reason: 'family', note: 'wedding' },
  { days: 3, reason: 'sick', note: 'not asked for' },
  { days: 3, reason: 'sick', from: '2026-01-01' },
  { days: 3, reason: 'sick', from: '2026-06-01' },
  { days: 3, reason: 'sick', from: '1405-03-01' },
  { days: 3, reason: 'sick', office: 'finance', title: 'x'.repeat(11) },
  { days: 3, reason: 'sick', office: 'nowhere' },
  { days: 3, reason: 'sick', title: 'hidden without an office' },
];

describe('client/forms/form-builder (one schema, the same verdict on client and server)', () => {
  it('should find the same fields in error on the client as ajv on the server, for every case', async () => {
    // given: the client modules run in Node (i18n only touches <html> at load)
    (globalThis as { document?: unknown }).document ??= { documentElement: {} };
    const { toSchema } = await import('../../client/src/forms/form-builder.js');
    const { validateForm, cleanData } = await import('../../client/src/forms/form-schema.js');
    const groups = [
      { value: 'finance', label: { fa: 'مالی', en: 'Finance' } },
      { value: 'legal', label: { fa: 'حقوقی', en: 'Legal' } },
    ];
    const schema = toSchema(design, { groups, users: [], provinces: [] });
    const server = new FormRegistry('/nonexistent');
    expect(server.problems({ parity: schema as Record<string, unknown> })).to.deep.equal([]);
    server.useDeployed('parity:1', { parity: schema as Record<string, unknown> });
    const verdicts: string[] = [];
    for (const data of cases) {
      // when: the client checks what was typed, the server what the client sends
      const client = validateForm(schema, data).map((e) => `${e.field}:${e.keyword}`);
      const sent = cleanData(schema, data);
      const onServer = server.errors('parity', sent, 'parity:1').map((e) => `${e.field}:${e.keyword}`);
      // then
      expect(client.sort(), JSON.stringify(data)).to.deep.equal(onServer.sort());
      verdicts.push(client.join(' '));
    }
    // and the cases do exercise each limit
    expect(verdicts).to.deep.equal([
      'days:required reason:required',
      '',
      'days:minimum',
      'days:maximum reason:enum',
      'days:type',
      'note:required',
      'note:minLength',
      'note:maxLength',
      '',
      '',
      'from:x-range',
      '',
      'from:x-range',
      'title:maxLength',
      'office:enum',
      '',
    ]);
  });
});
