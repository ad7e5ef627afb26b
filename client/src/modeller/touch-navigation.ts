/* eslint-disable @typescript-eslint/no-explicit-any -- diagram-js's canvas is dynamic */
type Point = { x: number; y: number };

/**
 * Moves and zooms the canvas with fingers on phones and tablets: one finger dragged on the empty canvas moves the
 * diagram, two fingers pinch-zoom it. diagram-js only listens to the mouse (wheel, drag), which a touch screen does
 * not send while a finger moves; taps still arrive as clicks (select, palette, context pad). Two fingers zoom
 * wherever they land; one finger moves the diagram only from the empty canvas.
 */
function TouchNavigation(canvas: any) {
  const svg: SVGSVGElement = canvas._svg;
  /** Touching fingers; a finger that came down on a shape does not move the diagram alone (a tap selects). */
  const fingers = new Map<number, Point & { onShape: boolean }>();
  let pinch: { distance: number; scale: number } | null = null;
  const distance = ([a, b]: Point[]) => Math.hypot(a!.x - b!.x, a!.y - b!.y);

  svg.addEventListener('pointerdown', (e) => {
    if (e.pointerType !== 'touch') return;
    const onShape = !!(e.target as Element).closest('.djs-shape, .djs-connection, .djs-label');
    fingers.set(e.pointerId, { x: e.clientX, y: e.clientY, onShape });
    if (fingers.size === 2) pinch = { distance: distance([...fingers.values()]), scale: canvas.zoom() };
  });
  svg.addEventListener('pointermove', (e) => {
    const last = fingers.get(e.pointerId);
    if (!last) return;
    const now = { x: e.clientX, y: e.clientY, onShape: last.onShape };
    fingers.set(e.pointerId, now);
    if (fingers.size === 1) {
      if (!last.onShape) canvas.scroll({ dx: now.x - last.x, dy: now.y - last.y });
      return;
    }
    if (!pinch || fingers.size !== 2) return;
    const points = [...fingers.values()];
    const box = svg.getBoundingClientRect();
    const centre = {
      x: (points[0]!.x + points[1]!.x) / 2 - box.left,
      y: (points[0]!.y + points[1]!.y) / 2 - box.top,
    };
    const scale = Math.min(4, Math.max(0.1, (pinch.scale * distance(points)) / pinch.distance));
    canvas.zoom(scale, centre);
  });
  const lift = (e: PointerEvent) => {
    fingers.delete(e.pointerId);
    if (fingers.size < 2) pinch = null;
  };
  svg.addEventListener('pointerup', lift);
  svg.addEventListener('pointercancel', lift);
}
TouchNavigation.$inject = ['canvas'];

/** The bpmn-js module: finger panning and pinch zoom. */
export const touchNavigationModule = {
  __init__: ['touchNavigation'],
  touchNavigation: ['type', TouchNavigation],
};
