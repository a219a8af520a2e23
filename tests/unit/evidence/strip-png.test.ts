import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MalformedFileError } from "~/domain/evidence/stripper";
import { stripPngMetadata } from "~/domain/evidence/strip-png";
import { ascii, concat, indexOfBytes, latitudeBytes, pngChunk, pngExif, pngGamma, pngITxt, pngParts, pngText, pngTime, pngZTxt, readPngChunks, runStripper } from "./sample-files";

const strip = (bytes: Uint8Array, size?: number) => runStripper(stripPngMetadata(), bytes, size);

describe("stripPngMetadata", () => {
  const image = pngParts([pngText(), pngExif(), pngGamma(), pngITxt(), pngTime()], [pngZTxt(), pngText()]);

  it("the sample really carries text and location before stripping", () => {
    expect(indexOfBytes(image.file, latitudeBytes())).toBeGreaterThan(0);
    expect(readPngChunks(image.file).map((c) => c.type)).toEqual(["IHDR", "tEXt", "eXIf", "gAMA", "iTXt", "tIME", "IDAT", "zTXt", "tEXt", "IEND"]);
  });

  it("drops eXIf, tEXt, iTXt, zTXt and tIME and keeps the other chunks byte for byte", () => {
    const out = strip(image.file);
    const expected = pngParts([pngGamma()]).file;
    expect(out).toEqual(expected);
    const chunks = readPngChunks(out);
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "gAMA", "IDAT", "IEND"]);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    for (const secret of ["Secret", "GPSLatitude", "Comment"]) expect(indexOfBytes(out, ascii(secret)), secret).toBe(-1);
    expect(indexOfBytes(out, latitudeBytes())).toBe(-1);
  });

  it("keeps a PNG without metadata exactly as it was", () => {
    const plain = pngParts();
    expect(strip(plain.file)).toEqual(plain.file);
  });

  it("gives the same bytes however the input is split into chunks", () => {
    const whole = strip(image.file);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: image.file.length }), (size) => {
        expect(strip(image.file, size)).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });

  it("drops anything after IEND", () => {
    const out = strip(concat([image.file, ascii("<script>alert(1)</script>")]));
    expect(out).toEqual(strip(image.file));
  });

  it("refuses bytes that only start like a PNG, and a PNG cut short", () => {
    const { file } = pngParts();
    expect(() => strip(concat([file.subarray(0, 8), ascii("<html></html>")]))).toThrow(MalformedFileError);
    expect(() => strip(file.subarray(0, file.length - 6))).toThrow(MalformedFileError);
    // The first chunk must be IHDR.
    expect(() => strip(concat([file.subarray(0, 8), pngGamma(), file.subarray(8)]))).toThrow(MalformedFileError);
    // A chunk length over 2^31 - 1.
    const huge = Uint8Array.from(Buffer.concat([Buffer.from(file.subarray(0, 33)), Buffer.from([0x80, 0, 0, 0]), Buffer.from("IDAT")]));
    expect(() => strip(huge)).toThrow(MalformedFileError);
    expect(() => strip(concat([file.subarray(0, 33), pngChunk("IDAT", new Uint8Array(4)).subarray(0, 4), ascii("1234")]))).toThrow(MalformedFileError);
  });
});
