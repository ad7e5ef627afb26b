/* eslint-disable @typescript-eslint/no-explicit-any -- diagram-js's canvas is dynamic */

/** Space kept around the diagram, in pixels. */
const MARGIN = 16;

/**
 * Fits the whole diagram into the part of the canvas the palette leaves free (beside a palette column on wide
 * screens, below the palette strip on phones), centred across and at the top, never zooming in beyond 100%.
 */
export function fitView(canvas: any, container: HTMLElement): void {
  canvas.resized();
  const { inner, outer } = canvas.viewbox();
  if (!outer.width || !outer.height || !inner.width || !inner.height) return;
  const free = freeArea(container, outer.width, outer.height);
  const scale = Math.min(
    1,
    (free.width - 2 * MARGIN) / inner.width,
    (free.height - 2 * MARGIN) / inner.height,
  );
  if (!(scale > 0)) return;
  const left = free.x + (free.width - inner.width * scale) / 2;
  // at the top: the room for new elements is below it
  const top = free.y + MARGIN;
  canvas.viewbox({
    x: inner.x - left / scale,
    y: inner.y - top / scale,
    width: outer.width / scale,
    height: outer.height / scale,
  });
}

/** The canvas area (container pixels) beside or below the palette, whichever is larger. */
function freeArea(container: HTMLElement, width: number, height: number) {
  const whole = { x: 0, y: 0, width, height };
  const palette = container.querySelector('.djs-palette')?.getBoundingClientRect();
  if (!palette?.width) return whole;
  const box = container.getBoundingClientRect();
  const besideLeft = { x: palette.right - box.left, y: 0, width: box.right - palette.right, height };
  const below = { x: 0, y: palette.bottom - box.top, width, height: box.bottom - palette.bottom };
  const area = (a: { width: number; height: number }) => Math.max(0, a.width) * Math.max(0, a.height);
  return area(besideLeft) >= area(below) ? besideLeft : below;
}
