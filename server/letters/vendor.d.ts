// fontkit 2 ships no types; we use only `openSync(path)`, whose font pdfkit's `registerFont` takes as it is
declare module 'fontkit' {
  export interface Font {
    layout(text: string, features?: unknown): unknown;
  }
  export function openSync(path: string): Font;
}
