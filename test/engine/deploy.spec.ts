import { expect } from 'chai';
import { isAppError } from '../../server/app-error.js';
import type { EngineRuntime } from '../../server/engine/runtime.js';
import type { RuntimeStores } from '../../server/engine/stores.js';
import { useTestDatabase } from '../helpers/database.js';
import { admin, createTestRuntime, fixture } from './runtime-harness.js';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="http://ravand.test">`;

/** A one-process document around `body` (start → body … → end are up to the caller). */
function doc(body: string, id = 'bad-process'): string {
  return `${HEAD}\n  <bpmn:process id="${id}" isExecutable="true">\n${body}\n  </bpmn:process>\n</bpmn:definitions>\n`;
}

async function rejection(runtime: EngineRuntime, xml: string) {
  try {
    await runtime.deploy(xml, admin);
  } catch (err) {
    if (isAppError(err)) return err;
    throw err;
  }
  throw new Error('deploy was not rejected');
}

describe('engine/definition-compiler (deploy)', () => {
  const ctx = useTestDatabase();
  let runtime: EngineRuntime;
  let stores: RuntimeStores;

  before(async () => {
    ({ runtime, stores } = await createTestRuntime(ctx.db, {
      services: { 'test-record': async () => ({ recorded: true }) },
    }));
  });
  after(async () => {
    await runtime.close();
  });

  it('should store a new definition as version 1 and then version 2', async () => {
    // given
    const xml = fixture('engine-simple-task');
    // when
    const first = await runtime.deploy(xml, admin);
    const second = await runtime.deploy(xml.replace('name="Review"', 'name="Review it"'), admin);
    // then
    expect(first.created).to.equal(true);
    expect(first.definition).to.include({
      key: 'engine-simple-task',
      version: 1,
      id: 'engine-simple-task:1',
    });
    expect(first.definition.name).to.deep.equal({ en: 'Simple review', fa: 'بررسی ساده' });
    expect(first.definition.elements.find((e) => e.id === 'review')).to.deep.equal({
      id: 'review',
      type: 'bpmn:UserTask',
      name: { en: 'Review', fa: 'بررسی' },
    });
    expect(second.definition.version).to.equal(2);
    expect((await runtime.listVersions('engine-simple-task')).map((d) => d.version)).to.deep.equal([2, 1]);
  });

  it('should return the existing version when byte-identical XML is deployed again', async () => {
    // given
    const xml = fixture('engine-service');
    const first = await runtime.deploy(xml, admin);
    // when
    const again = await runtime.deploy(xml, admin);
    // then
    expect(again.created).to.equal(false);
    expect(again.definition.id).to.equal(first.definition.id);
    expect(await runtime.getDefinitionXml('engine-service', first.definition.version)).to.equal(xml);
    expect(await runtime.listVersions('engine-service')).to.have.length(1);
  });

  it('should make an older version deployed again the newest version, so that new instances use it', async () => {
    // given two versions
    const first = fixture('engine-simple-task').replace('name="Review"', 'name="Revert check"');
    const v1 = await runtime.deploy(first, admin);
    const v2 = await runtime.deploy(first.replace('name="Revert check"', 'name="Changed"'), admin);
    // when the first file is deployed again
    const again = await runtime.deploy(first, admin);
    // then it is a new version, and the latest
    expect(again.created).to.equal(true);
    expect(again.definition.version).to.equal(v2.definition.version + 1);
    expect(again.definition.hash).to.equal(v1.definition.hash);
    const started = await runtime.start(
      { key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'kab' } },
      admin,
    );
    expect(started.version).to.equal(again.definition.version);
  });

  const cases: { what: string; xml: string; code: string; elementId?: string; line?: boolean }[] = [
    {
      what: 'XML that does not parse, with line and column',
      xml: `${HEAD}\n<bpmn:process id="p" isExecutable="true">\n  <bpmn:startEvent id="s">\n</bpmn:process></bpmn:definitions>`,
      code: 'RV_ERR_BPMN_PARSE',
      line: true,
    },
    {
      what: 'a document without an executable process',
      xml: doc('<bpmn:startEvent id="start" />').replace('isExecutable="true"', 'isExecutable="false"'),
      code: 'RV_ERR_BPMN_NO_EXECUTABLE_PROCESS',
    },
    {
      what: 'duplicate ids',
      xml: doc('<bpmn:startEvent id="start" />\n<bpmn:task id="start" />'),
      code: 'RV_ERR_BPMN_DUPLICATE_ID',
      elementId: 'start',
      line: true,
    },
    {
      what: 'a script task',
      xml: doc(
        '<bpmn:startEvent id="start" />\n<bpmn:scriptTask id="run-script" scriptFormat="javascript"><bpmn:script>next()</bpmn:script></bpmn:scriptTask>',
      ),
      code: 'RV_ERR_BPMN_SCRIPT_FORBIDDEN',
      elementId: 'run-script',
      line: true,
    },
    {
      what: 'a JavaScript condition',
      xml: doc(`<bpmn:startEvent id="start" />
<bpmn:sequenceFlow id="flow-js" sourceRef="start" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">next(null, true)</bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:endEvent id="end" />`),
      code: 'RV_ERR_BPMN_SCRIPT_FORBIDDEN',
      elementId: 'flow-js',
      line: true,
    },
    {
      what: 'a converging inclusive gateway',
      xml: doc(`<bpmn:startEvent id="start" />
<bpmn:inclusiveGateway id="split" />
<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="split" />
<bpmn:sequenceFlow id="f1" sourceRef="split" targetRef="a" />
<bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="b" />
<bpmn:task id="a" /><bpmn:task id="b" />
<bpmn:sequenceFlow id="f3" sourceRef="a" targetRef="join-inclusive" />
<bpmn:sequenceFlow id="f4" sourceRef="b" targetRef="join-inclusive" />
<bpmn:inclusiveGateway id="join-inclusive" />`),
      code: 'RV_ERR_BPMN_INCLUSIVE_JOIN',
      elementId: 'join-inclusive',
    },
    {
      what: 'an unknown service',
      xml: doc(
        '<bpmn:startEvent id="start" />\n<bpmn:serviceTask id="call-nothing" camunda:type="external" camunda:topic="no-such-service" />',
      ),
      code: 'RV_ERR_BPMN_UNKNOWN_SERVICE',
      elementId: 'call-nothing',
    },
    {
      what: 'an invalid timer duration',
      xml: doc(
        '<bpmn:startEvent id="start" />\n<bpmn:intermediateCatchEvent id="wait-a-bit"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">two hours</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
      ),
      code: 'RV_ERR_BPMN_INVALID_TIMER',
      elementId: 'wait-a-bit',
    },
    {
      what: 'a FEEL timer with a syntax error',
      xml: doc(
        '<bpmn:startEvent id="start" />\n<bpmn:intermediateCatchEvent id="wait-feel"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">=addWorkingDays(now(), </bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
      ),
      code: 'RV_ERR_BPMN_INVALID_TIMER',
      elementId: 'wait-feel',
    },
    {
      what: 'an unknown form key',
      xml: doc(
        '<bpmn:startEvent id="start" />\n<bpmn:userTask id="fill-form" camunda:formKey="no-such-form" />',
      ),
      code: 'RV_ERR_BPMN_UNKNOWN_FORM',
      elementId: 'fill-form',
    },
    {
      what: 'a FEEL condition with a syntax error',
      xml: doc(`<bpmn:startEvent id="start" />
<bpmn:sequenceFlow id="flow-bad-feel" sourceRef="start" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=cost &gt;&gt; 3 (</bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:endEvent id="end" />`),
      code: 'RV_ERR_BPMN_INVALID_EXPRESSION',
      elementId: 'flow-bad-feel',
    },
  ];

  for (const c of cases) {
    it(`should reject ${c.what} with ${c.code} and store nothing`, async () => {
      // given
      const before = await runtime.listDefinitions();
      // when
      const err = await rejection(runtime, c.xml);
      // then
      expect(err.code).to.equal(c.code);
      const details = (err.details ?? {}) as { elementId?: string; line?: number; column?: number };
      if (c.elementId) expect(details.elementId).to.equal(c.elementId);
      if (c.line) {
        expect(details.line).to.be.a('number').greaterThan(1);
        expect(details.column).to.be.a('number');
      }
      expect(await runtime.listDefinitions()).to.deep.equal(before);
      expect(await stores.definitions.latest('bad-process')).to.equal(undefined);
    });
  }

  it('should validate without storing', async () => {
    // given
    const xml = fixture('engine-gateways');
    // when
    const result = await runtime.validate(xml);
    // then
    expect(result.key).to.equal('engine-gateways');
    expect(result.elements.map((e) => e.id)).to.include.members(['request', 'check-cost', 'fork', 'join']);
    expect(await stores.definitions.latest('engine-gateways')).to.equal(undefined);
  });
});
