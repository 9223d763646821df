// Findings carry byte spans of UTF-8 text (Rust's view); JavaScript strings index
// UTF-16 code units. These convert one to the other.
import type { Span } from "./bindings/Span";

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/** The string index at a UTF-8 byte offset (clamped to the string). */
export function byteToIndex(text: string, byte: number): number {
  let bytes = 0;
  let index = 0;
  while (index < text.length && bytes < byte) {
    const codePoint = text.codePointAt(index) ?? 0;
    bytes += utf8Length(codePoint);
    index += codePoint > 0xffff ? 2 : 1;
  }
  return index;
}

/** A span as [start, end) string indices. */
export function spanToRange(text: string, span: Span): [number, number] {
  return [byteToIndex(text, span.start), byteToIndex(text, span.end)];
}
