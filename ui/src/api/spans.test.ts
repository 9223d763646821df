import { describe, expect, it } from "vitest";
import { byteToIndex, spanToRange } from "./spans";

describe("byte spans to string indices", () => {
  it("is the identity on ASCII", () => {
    expect(byteToIndex("SHOW_OBJECT", 4)).toBe(4);
  });

  it("counts multi-byte characters once", () => {
    // "é" is 2 bytes, "😀" is 4 bytes and 2 UTF-16 units.
    const text = "é😀x";
    expect(byteToIndex(text, 2)).toBe(1);
    expect(byteToIndex(text, 6)).toBe(3);
    expect(spanToRange(text, { start: 6, end: 7 })).toEqual([3, 4]);
  });

  it("clamps past the end", () => {
    expect(byteToIndex("ab", 10)).toBe(2);
  });
});
