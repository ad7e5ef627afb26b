import path from 'node:path';
import { expect } from 'chai';
import { dateBoundErrors } from '../../server/engine/date-bounds.js';
import { FormRegistry } from '../../server/engine/forms.js';
import { projectRoot } from '../../server/project-root.js';

describe('engine/date-bounds', () => {
  const schema = {
    type: 'object',
    properties: {
      meeting: { type: 'string', format: 'date', 'x-label': { fa: 'تاریخ جلسه', en: 'Meeting date' } },
      deadline: { type: 'string', format: 'date', 'x-min': '2026-01-01', 'x-max': '2026-12-31' },
      at: { type: 'string', format: 'date-time' },
      rows: {
        type: 'array',
        items: { type: 'object', properties: { due: { type: 'string', format: 'date' } } },
      },
    },
  };

  it('should refuse a Solar Hijri year typed as a Gregorian date, naming the field in both languages', () => {
    // when
    const errors = dateBoundErrors(schema, { meeting: '1405-09-15' });
    // then
    expect(errors).to.have.length(1);
    expect(errors[0]!.field).to.equal('meeting');
    expect(errors[0]!.keyword).to.equal('x-range');
    expect(errors[0]!.message.fa).to.contain('تاریخ جلسه').and.contain('۱۹۹۰');
    expect(errors[0]!.message.en).to.contain('Meeting date').and.contain('1990-01-01');
  });

  it('should accept dates inside the default window and the form’s own x-min/x-max', () => {
    // when
    const errors = dateBoundErrors(schema, {
      meeting: '2026-12-06',
      deadline: '2026-06-01',
      at: '2026-12-06T08:00:00+04:30',
      rows: [{ due: '2027-01-10' }],
    });
    // then
    expect(errors).to.deep.equal([]);
  });

  it('should check x-min/x-max, date-times in Kabul time and dates inside rows', () => {
    // when
    const errors = dateBoundErrors(schema, {
      deadline: '2027-01-01',
      at: '1405-09-15T10:00:00+04:30',
      rows: [{ due: '2026-01-01' }, { due: '2200-01-01' }],
    });
    // then
    expect(errors.map((e) => e.field)).to.deep.equal(['deadline', 'at', 'rows.1.due']);
    expect(errors[0]!.message.en).to.contain('2026-01-01 and 2026-12-31');
  });

  it('should make the office form registry refuse a Hijri session date as RV_ERR_FORM_INVALID', () => {
    // given
    const forms = new FormRegistry(path.join(projectRoot(), 'schemas', 'forms'));
    const data = {
      commissionDecision: 'approved',
      sessionDate: '1405-09-15',
      resolutionNumber: '45',
      effectiveDate: '2026-12-21',
    };
    // when
    const errors = forms.errors('commission-decision', data);
    // then
    expect(errors.map((e) => `${e.field}:${e.keyword}`)).to.include('sessionDate:x-range');
    expect(() => forms.validate('commission-decision', data))
      .to.throw()
      .with.property('code', 'RV_ERR_FORM_INVALID');
    expect(forms.errors('commission-decision', { ...data, sessionDate: '2026-12-06' })).to.deep.equal([]);
  });
});
