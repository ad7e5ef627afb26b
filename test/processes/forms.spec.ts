import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { BpmnModdle } from 'bpmn-moddle';
import { createRequire } from 'node:module';
import { provinces } from '../../server/seed/organisation.js';
import { processesDir } from '../../server/seed/deploy-processes.js';
import { projectRoot } from '../../server/project-root.js';

const require = createRequire(import.meta.url);
const camunda = require('camunda-bpmn-moddle/resources/camunda.json') as object;
// ajv-formats is CommonJS: its default export arrives wrapped under ESM
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

const formsDir = path.join(projectRoot(), 'schemas', 'forms');
const VOCABULARY = ['x-title', 'x-label', 'x-enum-labels', 'x-help', 'x-widget', 'x-errors', 'x-order'];
const WIDGETS = new Set(['textarea', 'select', 'radio', 'checkboxes', 'date', 'file']);
const DARI = /[\u0600-\u06FF]/;

type Schema = Record<string, unknown>;
const forms = new Map<string, Schema>(
  fs
    .readdirSync(formsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [
      path.basename(f, '.json'),
      JSON.parse(fs.readFileSync(path.join(formsDir, f), 'utf8')) as Schema,
    ]),
);

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addVocabulary(VOCABULARY);
  return ajv;
}

function bilingual(value: unknown, where: string, problems: string[]): void {
  const t = value as { fa?: unknown; en?: unknown } | undefined;
  if (!t || typeof t.fa !== 'string' || !t.fa.trim() || typeof t.en !== 'string' || !t.en.trim())
    problems.push(`${where}: needs { fa, en }`);
  else if (!DARI.test(t.fa)) problems.push(`${where}: fa is not in Dari`);
}

/** A file value (`x-widget: "file"`): `{ id, name }` only, both required, the id and name bounded. */
function checkFileValue(value: Schema | undefined, where: string, problems: string[]): void {
  const props = (value?.properties ?? {}) as Record<string, Schema>;
  const ok =
    value?.type === 'object' &&
    value.additionalProperties === false &&
    JSON.stringify(Object.keys(props).sort()) === '["id","name"]' &&
    JSON.stringify([...((value.required ?? []) as string[])].sort()) === '["id","name"]' &&
    typeof props.id?.maxLength === 'number' &&
    typeof props.name?.maxLength === 'number';
  if (!ok) problems.push(`${where}: a file value is { id, name }, both required and bounded`);
}

/** Checks one field schema (recursing into arrays of objects) against processes/CONVENTIONS.md. */
function checkField(field: Schema, where: string, problems: string[]): void {
  if (field['x-widget'] === 'file') {
    bilingual(field['x-label'], `${where} x-label`, problems);
    if (field['x-help'] !== undefined) bilingual(field['x-help'], `${where} x-help`, problems);
    if (field.type === 'array') {
      if (typeof field.maxItems !== 'number') problems.push(`${where}: array without maxItems`);
      checkFileValue(field.items as Schema, `${where}[]`, problems);
    } else checkFileValue(field, where, problems);
    return;
  }
  bilingual(field['x-label'], `${where} x-label`, problems);
  if (field['x-help'] !== undefined) bilingual(field['x-help'], `${where} x-help`, problems);
  const widget = field['x-widget'];
  if (widget !== undefined && !WIDGETS.has(String(widget)))
    problems.push(`${where}: unknown widget ${String(widget)}`);
  const type = field.type;
  const enumLabels = (field['x-enum-labels'] ?? {}) as Record<string, unknown>;
  const checkEnum = (values: unknown[]) => {
    for (const v of values) bilingual(enumLabels[String(v)], `${where} option ${String(v)}`, problems);
  };
  if (type === 'string') {
    if (Array.isArray(field.enum)) checkEnum(field.enum);
    else if (field.format !== 'date' && field.format !== 'date-time' && typeof field.maxLength !== 'number')
      problems.push(`${where}: text without maxLength`);
  } else if (type === 'integer' || type === 'number') {
    if (typeof field.minimum !== 'number' || typeof field.maximum !== 'number')
      problems.push(`${where}: unbounded number`);
  } else if (type === 'boolean') {
    // nothing more
  } else if (type === 'array') {
    if (typeof field.maxItems !== 'number') problems.push(`${where}: array without maxItems`);
    const items = field.items as Schema;
    if (items.type === 'string') {
      if (!Array.isArray(items.enum)) problems.push(`${where}: free-text array`);
      else checkEnum(items.enum);
      if (field.uniqueItems !== true) problems.push(`${where}: multi-select without uniqueItems`);
    } else if (items.type === 'object') {
      checkObject(items, `${where}[]`, problems);
    } else problems.push(`${where}: unsupported item type`);
  } else problems.push(`${where}: unsupported type ${String(type)}`);
}

function checkObject(schema: Schema, where: string, problems: string[]): void {
  if (schema.additionalProperties !== false) problems.push(`${where}: additionalProperties must be false`);
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  for (const r of (schema.required ?? []) as string[])
    if (!props[r]) problems.push(`${where}: required ${r} is not a field`);
  for (const [name, field] of Object.entries(props)) checkField(field, `${where}.${name}`, problems);
}

/** Form keys of user tasks and start events, per process. */
async function usedFormKeys(): Promise<Map<string, string[]>> {
  const used = new Map<string, string[]>();
  for (const file of fs.readdirSync(processesDir()).filter((f) => f.endsWith('.bpmn'))) {
    const xml = fs.readFileSync(path.join(processesDir(), file), 'utf8');
    const { rootElement } = (await new BpmnModdle({ camunda }).fromXML(xml)) as { rootElement: Schema };
    const visit = (container: Schema) => {
      for (const el of (container.flowElements as Schema[] | undefined) ?? []) {
        if (typeof el.formKey === 'string')
          used.set(el.formKey, [...(used.get(el.formKey) ?? []), `${file}#${String(el.id)}`]);
        if (el.flowElements) visit(el);
      }
    };
    for (const root of rootElement.rootElements as Schema[]) if (root.$type === 'bpmn:Process') visit(root);
  }
  return used;
}

describe('schemas/forms (task forms)', () => {
  it('should compile every form under ajv 2020 with the x- vocabulary', () => {
    // given
    const ajv = newAjv();
    // when
    const failures: string[] = [];
    for (const [key, schema] of forms) {
      try {
        const { $id: _id, ...rest } = schema;
        ajv.compile(rest);
      } catch (err) {
        failures.push(`${key}: ${(err as Error).message}`);
      }
    }
    // then
    expect(forms.size).to.be.greaterThan(40);
    expect(failures).to.deep.equal([]);
  });

  it('should have a form for every formKey in every process, and no form that nothing uses', async () => {
    // when
    const used = await usedFormKeys();
    // then
    const missing = [...used.keys()]
      .filter((k) => !forms.has(k))
      .map((k) => `${k} (${used.get(k)!.join(', ')})`);
    expect(missing).to.deep.equal([]);
    expect([...forms.keys()].filter((k) => !used.has(k))).to.deep.equal([]);
  });

  it('should label every form, field, option, help and error in Dari and English, and bound every value', () => {
    // given
    const problems: string[] = [];
    // when
    for (const [key, schema] of forms) {
      if (schema.$id !== key) problems.push(`${key}: $id is ${String(schema.$id)}`);
      if (schema.type !== 'object') problems.push(`${key}: not an object`);
      bilingual(schema['x-title'], `${key} x-title`, problems);
      if (schema['x-help'] !== undefined) bilingual(schema['x-help'], `${key} x-help`, problems);
      checkObject(schema, key, problems);
      const props = schema.properties as Record<string, unknown>;
      for (const [field, message] of Object.entries((schema['x-errors'] ?? {}) as Record<string, unknown>)) {
        if (!props[field]) problems.push(`${key}: x-errors for unknown field ${field}`);
        bilingual(message, `${key} x-errors.${field}`, problems);
      }
      for (const r of schema.required as string[])
        if (!(schema['x-errors'] as Record<string, unknown>)[r])
          problems.push(`${key}: no error message for ${r}`);
      const order = schema['x-order'] as string[] | undefined;
      if (order && [...order].sort().join() !== Object.keys(props).sort().join())
        problems.push(`${key}: x-order`);
    }
    // then
    expect(problems).to.deep.equal([]);
  });

  it('should offer exactly the 34 provinces of the organisation seed wherever provinces are chosen', () => {
    // given
    const codes = provinces.map((p) => p.code).sort();
    // when
    const lists = [...forms.entries()].flatMap(([key, schema]) => {
      const field = (schema.properties as Record<string, Schema>).provinces;
      return field ? [{ key, values: ((field.items as Schema).enum as string[]).slice().sort() }] : [];
    });
    // then
    expect(lists.map((l) => l.key)).to.include.members([
      'implementation-plan',
      'sop-audit-round',
      'campaign-plan',
    ]);
    for (const l of lists) expect(l.values, l.key).to.deep.equal(codes);
  });

  describe('conditional rules', () => {
    const ajv = newAjv();
    const validate = (key: string, data: unknown) => {
      const { $id: _id, ...rest } = forms.get(key)!;
      const fn = ajv.compile(rest);
      fn(data);
      return (fn.errors ?? []).filter((e) => e.keyword !== 'if');
    };

    it('should require comments when a reviewer returns a policy, and accept a bare approval', () => {
      // when
      const returned = validate('policy-review', { decision: 'return' });
      const approved = validate('policy-review', { decision: 'approve' });
      // then
      expect(returned.map((e) => e.params)).to.deep.include({ missingProperty: 'comments' });
      expect(approved).to.deep.equal([]);
    });

    it('should refuse an unknown decision, unknown fields and over-long text', () => {
      // when
      const errors = validate('policy-deputy-decision', {
        decision: 'maybe',
        extra: 1,
        comments: 'x'.repeat(4001),
      });
      // then
      expect(errors.map((e) => e.keyword).sort()).to.deep.equal([
        'additionalProperties',
        'enum',
        'maxLength',
      ]);
    });

    it('should require a legal ground for a partial answer or a refusal of information', () => {
      // when
      const refusal = validate('information-response', {
        outcome: 'refusal',
        responseText: 'No',
        deliveryMethod: 'email',
      });
      const answer = validate('information-response', {
        outcome: 'answer',
        responseText: 'Here',
        deliveryMethod: 'email',
      });
      // then
      expect(refusal.map((e) => e.params)).to.deep.include({ missingProperty: 'legalGround' });
      expect(answer).to.deep.equal([]);
    });

    it('should allow an extension only with its length and reason, and no length without one', () => {
      // when
      const bare = validate('information-extension', { extensionDecision: 'extend' });
      const stray = validate('information-extension', {
        extensionDecision: 'no-extension',
        extensionDays: 3,
      });
      const ok = validate('information-extension', {
        extensionDecision: 'extend',
        extensionDays: 5,
        extensionReason: 'Archives in Herat',
      });
      // then
      expect(bare.map((e) => (e.params as { missingProperty?: string }).missingProperty)).to.include.members([
        'extensionDays',
        'extensionReason',
      ]);
      expect(stray).to.not.deep.equal([]);
      expect(ok).to.deep.equal([]);
    });

    it('should take a trip request with travellers and typed dates, and refuse one without travellers', () => {
      // given
      const request = {
        requestingDirectorate: 'foreign-relations',
        travellers: [{ name: 'Fereshta Noori', position: 'Director', directorate: 'foreign-relations' }],
        eventName: 'Regional conference on electoral dispute resolution',
        eventType: 'conference',
        hostCountry: 'India',
        departureDate: '2027-01-20',
        returnDate: '2027-01-25',
        funding: 'host',
        estimatedCost: 0,
        currency: 'USD',
        purpose: 'Share the commission’s complaint handling practice.',
      };
      // when / then
      expect(validate('trip-request', request)).to.deep.equal([]);
      expect(validate('trip-request', { ...request, travellers: [] }).map((e) => e.keyword)).to.include(
        'minItems',
      );
      expect(
        validate('trip-request', { ...request, departureDate: '20/01/2027' }).map((e) => e.keyword),
      ).to.include('format');
    });

    it('should need a text in at least one language for a media item', () => {
      // given
      const draft = {
        itemType: 'news',
        title: 'Commission meets observers',
        urgency: 'urgent',
        channels: ['website'],
      };
      // when / then
      expect(validate('media-draft', draft)).to.not.deep.equal([]);
      expect(validate('media-draft', { ...draft, textPs: 'د کمیسیون خبر' })).to.deep.equal([]);
    });
  });
});
