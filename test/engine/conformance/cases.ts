/**
 * The conformance matrix's models: one small construct per BPMN element the modeller's palette offers and Ravand
 * deploys, generated into a process in each of four placements (no wait before it, a user task before it, a
 * wait inside it, and an engine restart before every step). Each case says how it is driven (task completions,
 * messages, signals, timers) and, where Ravand must differ from raw bpmn-engine, what it does instead and why.
 */

/** Where the construct sits. */
export type Placement = 'no-wait' | 'wait-before' | 'wait-inside' | 'restart';
export const PLACEMENTS: Placement[] = ['no-wait', 'wait-before', 'wait-inside', 'restart'];

/** One driving step, applied the same way to Ravand and to raw bpmn-engine. */
export type Step =
  | { complete: string; data?: Record<string, unknown> }
  /** A message by name (Ravand correlates it by business key); `at` is the element that waits for it. */
  | { message: string; at: string }
  | { signal: string; at: string }
  /** Moves the clock past every timer the models use (one hour) and lets them fire. */
  | { timer: true };

/** What a construct puts into the process between the start (or the `before` task) and the end. */
export interface Built {
  xml: string;
  /** First element of the construct (the flow from the start or `before` goes here). */
  entry: string;
  /** Its last element, which flows to `end`; undefined when the construct ends the process itself. */
  exit?: string;
  /** Root elements (messages, signals, errors, escalations). */
  defs?: string;
  /** Replaces the none start event (message, signal or timer start). */
  startDefinition?: string;
}

export interface Case {
  /** Short id, part of the process key. */
  id: string;
  /** The element under test, as the matrix prints it. */
  element: string;
  /** The placements that make sense (default all four); the others are listed with the reason. */
  placements?: Placement[];
  notApplicable?: string;
  build(o: { inner: boolean; key: string }): Built;
  steps(o: { inner: boolean }): Step[];
  variables?: Record<string, unknown>;
  /** A called process deployed beside it (Ravand) and put in the same file, not executable (raw bpmn-engine). */
  child?: { key: string; xml: string };
  /**
   * Where Ravand must differ from raw bpmn-engine: the reason, and how Ravand's outcome is expected to differ
   * (variables Ravand adds, or elements of the raw path that Ravand runs in another instance).
   */
  differs?: {
    reason: string;
    ravandAddsVariables?: (o: { inner: boolean }) => Record<string, unknown>;
    /** Variables raw bpmn-engine sets that Ravand keeps elsewhere. */
    rawOnlyVariables?: string[];
    rawOnlyPathIds?: string[];
  };
}

const G = 'camunda:candidateGroups="staff"';

/** A user task everyone in `staff` may work. */
export function userTask(id: string, extra = ''): string {
  return `<bpmn:userTask id="${id}" ${G}${extra ? ` ${extra}` : ''} />`;
}

/** A sequence flow (optionally with a FEEL condition). */
export function flow(from: string, to: string, condition?: string): string {
  const id = `f-${from}-${to}`;
  if (!condition) return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`;
}

/** `inside` user task then `next` when `inner`, else straight to `next`: the wait inside a construct. */
function innerWait(inner: boolean, from: string, to: string, id = 'inside'): string {
  return inner ? `${userTask(id)}${flow(from, id)}${flow(id, to)}` : flow(from, to);
}

const msg = (key: string, name: string) => `<bpmn:message id="msg-${name}" name="${key}-${name}" />`;
const sig = (key: string, name: string) => `<bpmn:signal id="sig-${name}" name="${key}-${name}" />`;
const HOUR =
  '<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>';
const inside = (inner: boolean): Step[] => (inner ? [{ complete: 'inside' }] : []);

export const CASES: Case[] = [
  // ───────────── events ─────────────
  {
    id: 'none-throw',
    element: 'intermediate throw event (none)',
    build: ({ inner }) => ({
      entry: 'pre',
      exit: 'throw',
      xml: `<bpmn:task id="pre" />${innerWait(inner, 'pre', 'throw')}<bpmn:intermediateThrowEvent id="throw" />`,
    }),
    steps: ({ inner }) => inside(inner),
  },
  {
    id: 'message-catch',
    element: 'intermediate catch event (message)',
    build: ({ inner, key }) => ({
      defs: msg(key, 'go'),
      entry: 'pre',
      exit: 'catch',
      xml: `<bpmn:task id="pre" />${innerWait(inner, 'pre', 'catch')}<bpmn:intermediateCatchEvent id="catch"><bpmn:messageEventDefinition messageRef="msg-go" /></bpmn:intermediateCatchEvent>`,
    }),
    steps: ({ inner }) => [...inside(inner), { message: 'go', at: 'catch' }],
    variables: { amount: 3 },
  },
  {
    id: 'message-throw',
    element: 'intermediate throw event and end event (message)',
    build: ({ inner, key }) => ({
      defs: msg(key, 'out') + msg(key, 'fin'),
      entry: 'throw',
      xml: `<bpmn:intermediateThrowEvent id="throw"><bpmn:messageEventDefinition messageRef="msg-out" /></bpmn:intermediateThrowEvent>${innerWait(inner, 'throw', 'msg-end')}<bpmn:endEvent id="msg-end"><bpmn:messageEventDefinition messageRef="msg-fin" /></bpmn:endEvent>`,
    }),
    steps: ({ inner }) => inside(inner),
  },
  {
    id: 'timer-catch',
    element: 'intermediate catch event (timer)',
    build: ({ inner }) => ({
      entry: 'pre',
      exit: 'wait-hour',
      xml: `<bpmn:task id="pre" />${innerWait(inner, 'pre', 'wait-hour')}<bpmn:intermediateCatchEvent id="wait-hour">${HOUR}</bpmn:intermediateCatchEvent>`,
    }),
    steps: ({ inner }) => [...inside(inner), { timer: true }],
  },
  {
    id: 'signal-catch',
    element: 'intermediate catch event (signal)',
    build: ({ inner, key }) => ({
      defs: sig(key, 'go'),
      entry: 'pre',
      exit: 'catch',
      xml: `<bpmn:task id="pre" />${innerWait(inner, 'pre', 'catch')}<bpmn:intermediateCatchEvent id="catch"><bpmn:signalEventDefinition signalRef="sig-go" /></bpmn:intermediateCatchEvent>`,
    }),
    steps: ({ inner }) => [...inside(inner), { signal: 'go', at: 'catch' }],
  },
  {
    id: 'signal-throw',
    element: 'intermediate throw event and end event (signal)',
    build: ({ inner, key }) => ({
      defs: sig(key, 'out') + sig(key, 'fin'),
      entry: 'throw',
      xml: `<bpmn:intermediateThrowEvent id="throw"><bpmn:signalEventDefinition signalRef="sig-out" /></bpmn:intermediateThrowEvent>${innerWait(inner, 'throw', 'sig-end')}<bpmn:endEvent id="sig-end"><bpmn:signalEventDefinition signalRef="sig-fin" /></bpmn:endEvent>`,
    }),
    steps: ({ inner }) => inside(inner),
  },
  {
    id: 'conditional-catch',
    element: 'intermediate catch event (conditional, true on arrival)',
    build: ({ inner }) => ({
      entry: 'pre',
      exit: 'cond',
      xml: `<bpmn:task id="pre" />${innerWait(inner, 'pre', 'cond')}<bpmn:intermediateCatchEvent id="cond"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=amount &gt; 2</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>`,
    }),
    steps: ({ inner }) => inside(inner),
    variables: { amount: 3 },
  },
  {
    id: 'error-end',
    element: 'end event (error) in a sub-process, error boundary event (interrupting)',
    build: ({ inner, key }) => ({
      defs: `<bpmn:error id="err-acc" name="${key}-error" errorCode="ACC_ERR" />`,
      entry: 'sub',
      exit: 'not-caught',
      xml: `<bpmn:subProcess id="sub"><bpmn:startEvent id="sub-start" />${innerWait(inner, 'sub-start', 'sub-error')}<bpmn:endEvent id="sub-error"><bpmn:errorEventDefinition errorRef="err-acc" /></bpmn:endEvent></bpmn:subProcess>
        <bpmn:boundaryEvent id="sub-failed" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="err-acc" /></bpmn:boundaryEvent>
        ${flow('sub', 'not-caught')}<bpmn:task id="not-caught" />${flow('sub-failed', 'caught')}${userTask('caught')}${flow('caught', 'end-caught')}<bpmn:endEvent id="end-caught" />`,
    }),
    steps: ({ inner }) => [...inside(inner), { complete: 'caught' }],
  },
  {
    id: 'escalation',
    element: 'throw event (escalation) in a sub-process, escalation boundary event (non-interrupting)',
    build: ({ inner, key }) => ({
      defs: `<bpmn:escalation id="esc-late" name="${key}-late" escalationCode="LATE" />`,
      entry: 'sub',
      exit: 'after-sub',
      xml: `<bpmn:subProcess id="sub"><bpmn:startEvent id="sub-start" />${flow('sub-start', 'raise')}<bpmn:intermediateThrowEvent id="raise"><bpmn:escalationEventDefinition escalationRef="esc-late" /></bpmn:intermediateThrowEvent>${innerWait(inner, 'raise', 'sub-end')}<bpmn:endEvent id="sub-end" /></bpmn:subProcess>
        <bpmn:boundaryEvent id="late" attachedToRef="sub" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="esc-late" /></bpmn:boundaryEvent>
        ${flow('late', 'notify')}${userTask('notify')}${flow('notify', 'end-notified')}<bpmn:endEvent id="end-notified" />${flow('sub', 'after-sub')}<bpmn:task id="after-sub" />`,
    }),
    steps: ({ inner }) => [...inside(inner), { complete: 'notify' }],
  },
  {
    id: 'escalation-end',
    element: 'end event (escalation) in a sub-process, escalation boundary event (interrupting)',
    build: ({ inner, key }) => ({
      defs: `<bpmn:escalation id="esc-up" name="${key}-up" escalationCode="UP" />`,
      entry: 'sub',
      exit: 'after-sub',
      xml: `<bpmn:subProcess id="sub"><bpmn:startEvent id="sub-start" />${innerWait(inner, 'sub-start', 'sub-esc')}<bpmn:endEvent id="sub-esc"><bpmn:escalationEventDefinition escalationRef="esc-up" /></bpmn:endEvent></bpmn:subProcess>
        <bpmn:boundaryEvent id="up" attachedToRef="sub"><bpmn:escalationEventDefinition escalationRef="esc-up" /></bpmn:boundaryEvent>
        ${flow('up', 'handle')}${userTask('handle')}${flow('handle', 'end-handled')}<bpmn:endEvent id="end-handled" />${flow('sub', 'after-sub')}<bpmn:task id="after-sub" />`,
    }),
    steps: ({ inner }) => [...inside(inner), { complete: 'handle' }],
  },
  {
    id: 'terminate',
    element: 'end event (terminate) beside a parallel branch',
    build: ({ inner }) => ({
      entry: 'fork',
      xml: `<bpmn:parallelGateway id="fork" />${flow('fork', 'other')}${userTask('other')}${flow('other', 'end-other')}<bpmn:endEvent id="end-other" />
        ${innerWait(inner, 'fork', 'kill')}<bpmn:endEvent id="kill"><bpmn:terminateEventDefinition /></bpmn:endEvent>`,
    }),
    steps: ({ inner }) => inside(inner),
  },
  {
    id: 'message-start',
    element: 'start event (message)',
    placements: ['no-wait', 'wait-inside', 'restart'],
    notApplicable: 'wait-before: nothing can wait before a start event',
    build: ({ inner, key }) => ({
      defs: msg(key, 'begin'),
      startDefinition: '<bpmn:messageEventDefinition messageRef="msg-begin" />',
      entry: 'first',
      exit: 'first',
      xml: inner ? userTask('first') : '<bpmn:task id="first" />',
    }),
    steps: ({ inner }) => [{ message: 'begin', at: 'start' }, ...(inner ? [{ complete: 'first' }] : [])],
  },
  {
    id: 'timer-start',
    element: 'start event (timer)',
    placements: ['no-wait', 'wait-inside', 'restart'],
    notApplicable: 'wait-before: nothing can wait before a start event',
    build: ({ inner }) => ({
      startDefinition: HOUR,
      entry: 'first',
      exit: 'first',
      xml: inner ? userTask('first') : '<bpmn:task id="first" />',
    }),
    steps: ({ inner }) => [{ timer: true }, ...(inner ? [{ complete: 'first' }] : [])],
  },
  ...(['timer', 'message', 'signal'] as const).flatMap((kind) =>
    [true, false].map<Case>((interrupting) => ({
      id: `boundary-${kind}-${interrupting ? 'int' : 'nonint'}`,
      element: `boundary event (${kind}, ${interrupting ? 'interrupting' : 'non-interrupting'})`,
      build: ({ inner, key }) => {
        const def =
          kind === 'timer'
            ? HOUR
            : kind === 'message'
              ? '<bpmn:messageEventDefinition messageRef="msg-poke" />'
              : '<bpmn:signalEventDefinition signalRef="sig-poke" />';
        // the host: a user task, or (wait inside) a sub-process waiting in a user task
        const host = inner
          ? `<bpmn:subProcess id="host"><bpmn:startEvent id="host-start" />${flow('host-start', 'inside')}${userTask('inside')}${flow('inside', 'host-end')}<bpmn:endEvent id="host-end" /></bpmn:subProcess>`
          : userTask('host');
        return {
          defs: kind === 'message' ? msg(key, 'poke') : kind === 'signal' ? sig(key, 'poke') : '',
          entry: 'host',
          exit: 'after-host',
          xml: `${host}<bpmn:boundaryEvent id="bound" attachedToRef="host"${interrupting ? '' : ' cancelActivity="false"'}>${def}</bpmn:boundaryEvent>
            ${flow('bound', 'handle')}${userTask('handle')}${flow('handle', 'end-handled')}<bpmn:endEvent id="end-handled" />${flow('host', 'after-host')}<bpmn:task id="after-host" />`,
        };
      },
      steps: ({ inner }) => {
        const trigger: Step =
          kind === 'timer'
            ? { timer: true }
            : kind === 'message'
              ? { message: 'poke', at: 'bound' }
              : { signal: 'poke', at: 'bound' };
        const host: Step[] = interrupting ? [] : [{ complete: inner ? 'inside' : 'host' }];
        return [trigger, { complete: 'handle' }, ...host];
      },
    })),
  ),
  // ───────────── gateways ─────────────
  {
    id: 'exclusive',
    element: 'exclusive gateway (split with default, and merge)',
    build: ({ inner }) => ({
      entry: 'split',
      exit: 'merge',
      xml: `<bpmn:exclusiveGateway id="split" default="f-split-small" />${flow('split', 'big', '=amount &gt; 10')}${flow('split', 'small')}
        <bpmn:task id="big" />${flow('big', 'merge')}<bpmn:task id="small" />${innerWait(inner, 'small', 'merge')}<bpmn:exclusiveGateway id="merge" />`,
    }),
    steps: ({ inner }) => inside(inner),
    variables: { amount: 3 },
  },
  {
    id: 'parallel',
    element: 'parallel gateway (fork and join)',
    build: ({ inner }) => ({
      entry: 'fork',
      exit: 'join',
      xml: `<bpmn:parallelGateway id="fork" />${flow('fork', 'left')}${flow('fork', 'right')}<bpmn:task id="left" />${innerWait(inner, 'left', 'join')}
        ${userTask('right')}${flow('right', 'join')}<bpmn:parallelGateway id="join" />`,
    }),
    steps: ({ inner }) => [...inside(inner), { complete: 'right' }],
  },
  ...(['message', 'timer'] as const).map<Case>((wins) => ({
    id: `event-based-${wins}`,
    element: `event-based gateway (${wins} first)`,
    build: ({ inner, key }) => ({
      defs: msg(key, 'reply'),
      entry: 'pre',
      xml: `<bpmn:task id="pre" />${innerWait(inner, 'pre', 'race')}<bpmn:eventBasedGateway id="race" />${flow('race', 'reply')}${flow('race', 'hour')}
        <bpmn:intermediateCatchEvent id="reply"><bpmn:messageEventDefinition messageRef="msg-reply" /></bpmn:intermediateCatchEvent>${flow('reply', 'end-reply')}<bpmn:endEvent id="end-reply" />
        <bpmn:intermediateCatchEvent id="hour">${HOUR}</bpmn:intermediateCatchEvent>${flow('hour', 'end-hour')}<bpmn:endEvent id="end-hour" />`,
    }),
    steps: ({ inner }) => [
      ...inside(inner),
      wins === 'message' ? { message: 'reply', at: 'reply' } : { timer: true },
    ],
  })),
  {
    id: 'inclusive-split',
    element: 'inclusive gateway (split, branches end apart)',
    build: ({ inner }) => ({
      entry: 'split',
      xml: `<bpmn:inclusiveGateway id="split" default="f-split-c" />${flow('split', 'a', '=amount &gt; 1')}${flow('split', 'b', '=amount &gt; 2')}${flow('split', 'c')}
        <bpmn:task id="a" />${innerWait(inner, 'a', 'end-a')}<bpmn:endEvent id="end-a" />${userTask('b')}${flow('b', 'end-b')}<bpmn:endEvent id="end-b" /><bpmn:task id="c" />${flow('c', 'end-c')}<bpmn:endEvent id="end-c" />`,
    }),
    steps: ({ inner }) => [...inside(inner), { complete: 'b' }],
    variables: { amount: 3 },
  },
  // ───────────── tasks ─────────────
  {
    id: 'user-task',
    element: 'user task (candidate group, form data)',
    build: ({ inner }) => ({
      entry: 'work',
      exit: inner ? 'inside' : 'work',
      xml: `${userTask('work')}${inner ? `${flow('work', 'inside')}${userTask('inside')}` : ''}`,
    }),
    steps: ({ inner }) => [
      { complete: 'work', data: { decision: 'approve', notes: ['a', 'b'] } },
      ...inside(inner),
    ],
  },
  ...(['serviceTask', 'sendTask', 'businessRuleTask'] as const).map<Case>((type) => ({
    id: type.replace('Task', '').toLowerCase() + '-task',
    element: `${type.replace('Task', ' task').replace('businessRule', 'business rule')} (a registered service)`,
    build: ({ inner }) => ({
      entry: inner ? 'inside' : 'call',
      exit: 'call',
      xml: `${inner ? `${userTask('inside')}${flow('inside', 'call')}` : ''}<bpmn:${type} id="call" camunda:type="external" camunda:topic="conformance.echo" />`,
    }),
    steps: ({ inner }) => inside(inner),
    variables: { amount: 3 },
  })),
  {
    id: 'receive-task',
    element: 'receive task (message)',
    build: ({ inner, key }) => ({
      defs: msg(key, 'reply'),
      entry: 'pre',
      exit: 'receive',
      xml: `<bpmn:task id="pre" />${innerWait(inner, 'pre', 'receive')}<bpmn:receiveTask id="receive" messageRef="msg-reply" />`,
    }),
    steps: ({ inner }) => [...inside(inner), { message: 'reply', at: 'receive' }],
  },
  {
    id: 'plain-task',
    element: 'task (none: passes straight through)',
    build: ({ inner }) => ({
      entry: 'plain',
      exit: 'after',
      xml: `<bpmn:task id="plain" />${innerWait(inner, 'plain', 'after')}<bpmn:task id="after" />`,
    }),
    steps: ({ inner }) => inside(inner),
  },
  // ───────────── sub-processes, calls, loops ─────────────
  {
    id: 'sub-process',
    element: 'embedded sub-process',
    build: ({ inner }) => ({
      entry: 'sub',
      exit: 'sub',
      xml: `<bpmn:subProcess id="sub"><bpmn:startEvent id="sub-start" />${innerWait(inner, 'sub-start', 'sub-end')}<bpmn:endEvent id="sub-end" /></bpmn:subProcess>`,
    }),
    steps: ({ inner }) => inside(inner),
  },
  {
    id: 'event-sub-error',
    element: 'event sub-process (error start) catching an error end event',
    build: ({ inner, key }) => ({
      defs: `<bpmn:error id="err-stop" name="${key}-stop" errorCode="STOP" />`,
      entry: 'main',
      xml: `${userTask('main')}${flow('main', 'fail')}<bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="err-stop" /></bpmn:endEvent><bpmn:subProcess id="on-error" triggeredByEvent="true"><bpmn:startEvent id="caught"><bpmn:errorEventDefinition errorRef="err-stop" /></bpmn:startEvent>${innerWait(inner, 'caught', 'error-end')}<bpmn:endEvent id="error-end" /></bpmn:subProcess>`,
    }),
    steps: ({ inner }) => [{ complete: 'main' }, ...inside(inner)],
  },
  {
    id: 'call-activity',
    element: 'call activity (a deployed child process)',
    build: ({ key }) => ({
      entry: 'call',
      exit: 'call',
      xml: `<bpmn:callActivity id="call" calledElement="${key}-child"><bpmn:extensionElements><camunda:properties><camunda:property name="output-variables" value="childResult" /></camunda:properties></bpmn:extensionElements></bpmn:callActivity>`,
    }),
    steps: ({ inner }) => (inner ? [{ complete: 'child-task' }] : []),
    differs: {
      reason:
        'Ravand runs the called process as an instance of its own (its own checkpoint, tasks and audit trail); raw bpmn-engine runs it inside the parent, so its elements are in the raw path only, and only the `output-variables` come back',
      rawOnlyPathIds: ['child-start', 'child-task', 'child-set', 'child-end'],
      rawOnlyVariables: ['done-child-task'],
    },
  },
  ...([false, true] as const).flatMap((sequential) => [
    {
      id: `mi-task-${sequential ? 'seq' : 'par'}`,
      element: `multi-instance user task (${sequential ? 'sequential' : 'parallel'}, over a collection)`,
      build: () => ({
        entry: 'each',
        exit: 'each',
        xml: `<bpmn:userTask id="each" ${G}><bpmn:multiInstanceLoopCharacteristics${sequential ? ' isSequential="true"' : ''} camunda:collection="=provinces" camunda:elementVariable="province" /></bpmn:userTask>`,
      }),
      steps: () => [
        { complete: 'each', data: { seen: true } },
        { complete: 'each', data: { seen: true } },
      ],
      variables: { provinces: ['kab', 'her'] },
      placements: ['no-wait', 'wait-before', 'restart'],
      notApplicable: 'wait-inside: the iterations are the waits',
      differs: {
        reason:
          "Ravand collects each iteration's form data in `each-results` (processes/CONVENTIONS.md) instead of the top-level variables, where raw bpmn-engine's last iteration wins",
        ravandAddsVariables: () => ({ 'each-results': [{ seen: true }, { seen: true }] }),
        rawOnlyVariables: ['seen'],
      },
    } satisfies Case,
    {
      id: `mi-sub-${sequential ? 'seq' : 'par'}`,
      element: `multi-instance sub-process (${sequential ? 'sequential' : 'parallel'}, cardinality)`,
      build: ({ inner }) => ({
        entry: 'visit',
        exit: 'visit',
        xml: `<bpmn:subProcess id="visit"><bpmn:multiInstanceLoopCharacteristics${sequential ? ' isSequential="true"' : ''}><bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics><bpmn:startEvent id="visit-start" />${innerWait(inner, 'visit-start', 'visit-end')}<bpmn:endEvent id="visit-end" /></bpmn:subProcess>`,
      }),
      steps: ({ inner }) => (inner ? [{ complete: 'inside' }, { complete: 'inside' }] : []),
      differs: {
        reason:
          "Ravand collects each iteration's form data in `visit-results` (processes/CONVENTIONS.md) instead of the top-level variables",
        ravandAddsVariables: ({ inner }: { inner: boolean }) =>
          inner ? { 'visit-results': [{ 'done-inside': true }, { 'done-inside': true }] } : {},
        rawOnlyVariables: ['done-inside'],
      },
    } satisfies Case,
  ]),
  {
    id: 'mi-service',
    element: 'multi-instance service task (parallel, cardinality)',
    build: ({ inner }) => ({
      entry: inner ? 'inside' : 'call',
      exit: 'call',
      xml: `${inner ? `${userTask('inside')}${flow('inside', 'call')}` : ''}<bpmn:serviceTask id="call" camunda:type="external" camunda:topic="conformance.echo"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`,
    }),
    steps: ({ inner }) => inside(inner),
    variables: { amount: 3 },
  },
  {
    id: 'loop-gateway',
    element: 'loop back through an exclusive gateway',
    build: () => ({
      entry: 'merge',
      xml: `<bpmn:exclusiveGateway id="merge" />${flow('merge', 'review')}${userTask('review')}${flow('review', 'again')}<bpmn:exclusiveGateway id="again" default="f-again-merge" />${flow('again', 'merge')}${flow('again', 'loop-end', '=done = true')}<bpmn:endEvent id="loop-end" />`,
    }),
    steps: () => [
      { complete: 'review', data: { round: 1, done: false } },
      { complete: 'review', data: { round: 2, done: true } },
    ],
    placements: ['no-wait', 'wait-before', 'restart'],
    notApplicable: 'wait-inside: the loop body is the wait',
  },
  {
    id: 'loop-standard',
    element: 'standard loop (loop maximum 2)',
    build: ({ inner }) => ({
      entry: 'pre',
      exit: 'repeat',
      xml: `<bpmn:task id="pre" />${innerWait(inner, 'pre', 'repeat')}<bpmn:task id="repeat"><bpmn:standardLoopCharacteristics loopMaximum="2" /></bpmn:task>`,
    }),
    steps: ({ inner }) => inside(inner),
  },
];

/** A construct Ravand refuses at deploy (the modeller offers it), with the code and, for an engine defect, its issue. */
export interface Refusal {
  element: string;
  code: string;
  upstream?: string;
  xml(key: string): string;
}

export const REFUSALS: Refusal[] = [
  {
    element: 'manual task (nothing could complete it: bpmn-engine waits in it for a signal)',
    code: 'RV_ERR_BPMN_MANUAL_TASK',
    xml: (key) => refusalXml(key, '<bpmn:manualTask id="it" />', 'it', 'it'),
  },
  {
    element: 'start event (signal): Ravand starts processes by the API or a message',
    code: 'RV_ERR_BPMN_SIGNAL_START',
    xml: (key) =>
      definitions(
        key,
        `${sig(key, 'go')}<bpmn:process id="${key}" isExecutable="true"><bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="sig-go" /></bpmn:startEvent>${flow('start', 'end')}<bpmn:endEvent id="end" /></bpmn:process>`,
      ),
  },
  ...(['message', 'signal', 'timer'] as const).map<Refusal>((kind) => ({
    element:
      kind === 'timer'
        ? 'event sub-process (timer start): bpmn-engine 25 never arms it'
        : `event sub-process (${kind} start): Ravand delivers no ${kind} to it`,
    code: 'RV_ERR_BPMN_EVENT_SUBPROCESS_START',
    xml: (key) => definitions(key, eventSubProcess(key, kind)),
  })),
  {
    element: 'parallel join after an exclusive merge (bpmn-engine passes the join early)',
    code: 'RV_ERR_BPMN_PARALLEL_JOIN_AFTER_MERGE',
    upstream: 'https://github.com/paed01/bpmn-engine/issues/200',
    xml: (key) => definitions(key, parallelAfterMerge(key)),
  },
  {
    element: 'inclusive gateway join (bpmn-elements has no converging inclusive gateway)',
    code: 'RV_ERR_BPMN_INCLUSIVE_JOIN',
    upstream: 'https://github.com/paed01/bpmn-elements/issues/46',
    xml: (key) => definitions(key, inclusiveJoin(key)),
  },
  {
    element: 'script task (scripts are never run: no sandbox)',
    code: 'RV_ERR_BPMN_SCRIPT_FORBIDDEN',
    xml: (key) =>
      refusalXml(
        key,
        '<bpmn:scriptTask id="it" scriptFormat="javascript"><bpmn:script>next()</bpmn:script></bpmn:scriptTask>',
        'it',
        'it',
      ),
  },
];

function refusalXml(key: string, construct: string, entry: string, exit: string, defs = ''): string {
  return definitions(
    key,
    `${defs}<bpmn:process id="${key}" isExecutable="true"><bpmn:startEvent id="start" />${flow('start', entry)}${construct}${flow(exit, 'end')}<bpmn:endEvent id="end" /></bpmn:process>`,
  );
}

/**
 * bpmn-engine issue 200: fork → (upper: a task) and (lower: exclusive split → a user task or straight on →
 * exclusive merge) → parallel join. The untaken flow of the split reaches the join through the merge.
 */
export function parallelAfterMerge(key: string): string {
  return `<bpmn:process id="${key}" isExecutable="true"><bpmn:startEvent id="start" />${flow('start', 'fork')}<bpmn:parallelGateway id="fork" />${flow('fork', 'upper')}${flow('fork', 'split')}
    <bpmn:task id="upper" />${flow('upper', 'join')}<bpmn:exclusiveGateway id="split" default="f-split-merge" />${flow('split', 'lower', '=amount &gt; 2')}${flow('split', 'merge')}
    ${userTask('lower')}${flow('lower', 'merge')}<bpmn:exclusiveGateway id="merge" />${flow('merge', 'join')}<bpmn:parallelGateway id="join" />${flow('join', 'end')}<bpmn:endEvent id="end" /></bpmn:process>`;
}

/** A user task `main` beside an event sub-process started by `kind`. */
export function eventSubProcess(key: string, kind: 'message' | 'signal' | 'timer'): string {
  const start =
    kind === 'timer'
      ? HOUR
      : kind === 'message'
        ? '<bpmn:messageEventDefinition messageRef="msg-go" />'
        : '<bpmn:signalEventDefinition signalRef="sig-go" />';
  const defs = kind === 'message' ? msg(key, 'go') : kind === 'signal' ? sig(key, 'go') : '';
  return `${defs}<bpmn:process id="${key}" isExecutable="true"><bpmn:startEvent id="start" />${flow('start', 'main')}${userTask('main')}${flow('main', 'end')}<bpmn:endEvent id="end" /><bpmn:subProcess id="on-it" triggeredByEvent="true"><bpmn:startEvent id="it">${start}</bpmn:startEvent>${flow('it', 'it-end')}<bpmn:endEvent id="it-end" /></bpmn:subProcess></bpmn:process>`;
}

/** An inclusive split whose two taken branches (one waits in a user task) meet at an inclusive join. */
export function inclusiveJoin(key: string): string {
  return `<bpmn:process id="${key}" isExecutable="true"><bpmn:startEvent id="start" />${flow('start', 'split')}<bpmn:inclusiveGateway id="split" />${flow('split', 'a', '=amount &gt; 1')}${flow('split', 'b', '=amount &gt; 2')}
    <bpmn:task id="a" />${flow('a', 'join')}${userTask('b')}${flow('b', 'join')}<bpmn:inclusiveGateway id="join" />${flow('join', 'end')}<bpmn:endEvent id="end" /></bpmn:process>`;
}

/** Child of the call-activity case: sets a result and waits in a user task when the parent's case has a wait inside. */
export function childXml(key: string, inner: boolean, executable: boolean): string {
  return `<bpmn:process id="${key}" isExecutable="${executable}"><bpmn:startEvent id="child-start" />${flow('child-start', inner ? 'child-task' : 'child-set')}${inner ? `${userTask('child-task')}${flow('child-task', 'child-set')}` : ''}<bpmn:serviceTask id="child-set" camunda:type="external" camunda:topic="conformance.child" />${flow('child-set', 'child-end')}<bpmn:endEvent id="child-end" /></bpmn:process>`;
}

const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"';

/** A definitions document around `body`. */
export function definitions(id: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${NS} id="defs-${id}" targetNamespace="http://ravand.af/test/conformance">${body}</bpmn:definitions>`;
}

/** The process of `c` in `placement`: start → (before) → construct → end. */
export function processXml(c: Case, placement: Placement, key: string): { xml: string; built: Built } {
  const inner = placement === 'wait-inside' || placement === 'restart';
  const before = placement === 'wait-before' || placement === 'restart';
  const built = c.build({ inner, key });
  const canWaitBefore = !built.startDefinition;
  const head =
    before && canWaitBefore
      ? `${flow('start', 'before')}${userTask('before')}${flow('before', built.entry)}`
      : flow('start', built.entry);
  const start = `<bpmn:startEvent id="start">${built.startDefinition ?? ''}</bpmn:startEvent>`;
  const tail = built.exit ? `${flow(built.exit, 'end')}<bpmn:endEvent id="end" />` : '';
  const body = `${built.defs ?? ''}<bpmn:process id="${key}" isExecutable="true">${start}${head}${built.xml}${tail}</bpmn:process>`;
  return { xml: definitions(key, body), built };
}

/** Whether the placement puts a `before` task first (not for start events). */
export function hasBefore(c: Case, placement: Placement, key: string): boolean {
  return (
    (placement === 'wait-before' || placement === 'restart') &&
    !c.build({ inner: false, key }).startDefinition
  );
}

/** Whether the placement puts a wait inside the construct. */
export function isInner(placement: Placement): boolean {
  return placement === 'wait-inside' || placement === 'restart';
}
