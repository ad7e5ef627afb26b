import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../server/project-root.js';
import { engine, startHarness, type Harness } from './harness.js';

const FORMS = path.join(projectRoot(), 'schemas', 'forms');

interface Summary {
  key: string;
  title: { fa: string; en: string };
  fields: Array<{
    name: string;
    label: { fa: string; en: string };
    type: string;
    kind: string;
    required: boolean;
  }>;
}

describe('http/form-handlers (the list the modeller panel picks from)', () => {
  let h: Harness;

  before(async function () {
    this.timeout(60_000);
    h = await startHarness({ formsDir: FORMS, runtime: engine() });
    await h.user('designer', ['manager']);
  });

  after(async () => {
    await h.close();
  });

  it('should list every form of the forms folder with its title and fields in both languages', async () => {
    // given
    const client = await h.signIn('designer');
    // when
    const res = await client.get('/api/forms');
    // then
    expect(res.status).to.equal(200);
    const items = (res.body as { items: Summary[] }).items;
    const files = fs.readdirSync(FORMS).filter((f) => f.endsWith('.json'));
    expect(items.map((f) => f.key)).to.deep.equal(files.map((f) => f.replace(/\.json$/, '')).sort());
    const review = items.find((f) => f.key === 'policy-review')!;
    expect(review.title).to.deep.equal({ fa: 'بررسی پالیسی', en: 'Policy review' });
    expect(review.fields.find((f) => f.name === 'decision')).to.deep.equal({
      name: 'decision',
      label: { fa: 'تصمیم', en: 'Decision' },
      type: 'string',
      kind: 'choice',
      widget: 'radio',
      required: true,
    });
  });

  it('should check designed forms one after another: problems of an unsound one, then data against a sound one', async () => {
    // given
    const client = await h.signIn('designer');
    const review = JSON.parse(fs.readFileSync(path.join(FORMS, 'policy-review.json'), 'utf8')) as object;
    // when
    const unsound = await client.post('/api/forms/check', { key: 'review', schema: { type: 'nope' } });
    const sound = await client.post('/api/forms/check', { key: 'review', schema: review });
    const wrong = await client.post('/api/forms/check', {
      key: 'review',
      schema: review,
      data: { decision: 'maybe' },
    });
    const right = await client.post('/api/forms/check', {
      key: 'review',
      schema: review,
      data: { decision: 'approve' },
    });
    // then
    expect(unsound.status).to.equal(200);
    expect(unsound.body.problems).to.have.length.of.at.least(1);
    expect(unsound.body.errors).to.deep.equal([]);
    expect(sound.body).to.deep.equal({ problems: [], errors: [] });
    expect(wrong.body.problems).to.deep.equal([]);
    expect(wrong.body.errors).to.have.length.of.at.least(1);
    expect(right.body).to.deep.equal({ problems: [], errors: [] });
  });

  it('should refuse the list to someone not signed in', async () => {
    const res = await fetch(`${h.url}/api/forms`);
    expect(res.status).to.equal(401);
  });
});
