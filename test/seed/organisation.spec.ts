import { expect } from 'chai';
import {
  centralGroups,
  demoUsers,
  groups,
  provinceGroupId,
  provinceGroups,
  provinces,
  roles,
} from '../../server/seed/organisation.js';

/** Persian script letters, spaces, ZWNJ and a few marks; no Latin letters and no Arabic yeh (ي) or kaf (ك). */
const PERSIAN = /^[\u0621-\u063A\u0641-\u0642\u0644-\u0648\u067E\u0686\u0698\u06A9\u06AF\u06CC\u200C ]+$/;

const PROVINCE_NAMES_EN = [
  'Badakhshan',
  'Badghis',
  'Baghlan',
  'Balkh',
  'Bamyan',
  'Daykundi',
  'Farah',
  'Faryab',
  'Ghazni',
  'Ghor',
  'Helmand',
  'Herat',
  'Jowzjan',
  'Kabul',
  'Kandahar',
  'Kapisa',
  'Khost',
  'Kunar',
  'Kunduz',
  'Laghman',
  'Logar',
  'Nangarhar',
  'Nimroz',
  'Nuristan',
  'Paktia',
  'Paktika',
  'Panjshir',
  'Parwan',
  'Samangan',
  'Sar-e Pol',
  'Takhar',
  'Uruzgan',
  'Wardak',
  'Zabul',
];

describe('seed/organisation', () => {
  it('should list the 34 provinces of Afghanistan once each, with three-letter codes', () => {
    // given / when
    const codes = provinces.map((p) => p.code);
    // then
    expect(provinces.map((p) => p.name.en)).to.have.members(PROVINCE_NAMES_EN);
    expect(new Set(codes).size).to.equal(34);
    expect(new Set(provinces.map((p) => p.name.fa)).size).to.equal(34);
    for (const code of codes) expect(code).to.match(/^[a-z]{3}$/);
    expect(provinceGroups).to.have.length(34);
    expect(provinceGroups.every((g) => g.kind === 'province')).to.equal(true);
  });

  it('should name the provincial offices province-<code>', () => {
    // given / when
    const byName = new Map(provinces.map((p) => [p.name.en, p]));
    // then
    expect(byName.get('Kabul')).to.deep.equal({ code: 'kab', name: { fa: 'کابل', en: 'Kabul' } });
    expect(byName.get('Herat')?.name.fa).to.equal('هرات');
    expect(byName.get('Balkh')?.name.fa).to.equal('بلخ');
    expect(byName.get('Kandahar')?.name.fa).to.equal('کندهار');
    expect(groups.find((g) => g.id === provinceGroupId('kab'))).to.deep.include({
      kind: 'province',
      province: 'kab',
    });
  });

  it('should have the office groups with unique ids', () => {
    // given
    const ids = groups.map((g) => g.id);
    // when / then
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids).to.include.members([
      'plan-policy',
      'public-info',
      'foreign-relations',
      'provincial-coordination',
      'legal',
      'finance',
      'protocol',
      'deputy',
      'leadership',
      'commission-secretariat',
    ]);
    expect(centralGroups.find((g) => g.id === 'plan-policy')?.name.fa).to.equal('ریاست پلان و پالیسی');
    expect(centralGroups.find((g) => g.id === 'deputy')?.name.fa).to.equal('معاونیت پالیسی و هماهنگی');
    for (const g of groups) {
      expect(g.id).to.match(/^[a-z][a-z-]*$/);
      expect(['directorate', 'unit', 'leadership', 'province']).to.include(g.kind);
    }
  });

  it('should name every group, province and role in Dari (Persian script) and English', () => {
    // given
    const names = [...groups, ...provinces, ...roles].map((x) => x.name);
    // when / then
    for (const name of names) {
      expect(name.fa.trim(), JSON.stringify(name)).to.match(PERSIAN);
      expect(name.en.trim(), JSON.stringify(name)).to.match(/^[A-Za-z][A-Za-z -]*$/);
    }
  });

  it('should list the five roles of the engine contract', () => {
    // given / when / then
    expect(roles.map((r) => r.id)).to.have.members(['admin', 'manager', 'staff', 'leadership', 'auditor']);
  });

  it('should give demo users unique usernames, known roles and existing groups', () => {
    // given
    const users = demoUsers();
    const groupIds = new Set(groups.map((g) => g.id));
    const roleIds = new Set<string>(roles.map((r) => r.id));
    // when / then
    expect(new Set(users.map((u) => u.username)).size).to.equal(users.length);
    expect(new Set(users.map((u) => u.name.en)).size).to.equal(users.length);
    for (const u of users) {
      expect(u.username).to.match(/^[a-z][a-z0-9.-]*$/);
      expect(u.name.fa, u.username).to.match(PERSIAN);
      expect(u.name.en, u.username).to.match(/^[A-Za-z][A-Za-z ]*$/);
      expect(u.roles.length, u.username).to.be.greaterThan(0);
      for (const r of u.roles) expect(roleIds.has(r), r).to.equal(true);
      for (const g of u.groups) expect(groupIds.has(g), g).to.equal(true);
      expect(u).to.not.have.property('password');
    }
    expect(users.map((u) => u.roles[0])).to.include.members([
      'admin',
      'auditor',
      'leadership',
      'manager',
      'staff',
    ]);
  });

  it('should give every group at least one demo user', () => {
    // given
    const users = demoUsers();
    // when
    const covered = new Set(users.flatMap((u) => u.groups));
    // then
    expect(groups.filter((g) => !covered.has(g.id)).map((g) => g.id)).to.deep.equal([]);
    expect(users.filter((u) => u.groups.includes('plan-policy')).length).to.be.at.least(2);
  });
});
