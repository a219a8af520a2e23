import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MalformedFileError } from "~/domain/evidence/stripper";
import { exifOrientation, orientationSegment, stripJpegMetadata } from "~/domain/evidence/strip-jpeg";
import { ascii, comment, concat, exifWithGps, indexOfBytes, jpegParts, latitudeBytes, photoshopApp13, runStripper, segment, xmpApp1 } from "./sample-files";

const strip = (bytes: Uint8Array, size?: number) => runStripper(stripJpegMetadata(), bytes, size);

describe("stripJpegMetadata", () => {
  const exif = segment(0xe1, exifWithGps(6));
  const photo = jpegParts([exif, xmpApp1(), photoshopApp13(), comment()]);

  it("the sample really carries the location before stripping", () => {
    expect(indexOfBytes(photo.file, latitudeBytes())).toBeGreaterThan(0);
    expect(indexOfBytes(photo.file, ascii("SecretPhoneMaker"))).toBeGreaterThan(0);
  });

  it("drops Exif, XMP, APP13 and comments and keeps every other byte as it was", () => {
    const out = strip(photo.file);
    const [app0, ...rest] = photo.kept;
    // The orientation-only Exif takes the place of the dropped one.
    expect(out).toEqual(concat([photo.soi, app0, orientationSegment(6), ...rest]));
    expect(out.subarray(0, 2)).toEqual(Uint8Array.of(0xff, 0xd8));
    expect(out.subarray(-2)).toEqual(Uint8Array.of(0xff, 0xd9));
  });

  it("leaves no trace of the location, the camera, the XMP, IPTC or comment", () => {
    const out = strip(photo.file);
    for (const secret of ["GPS", "SecretPhoneMaker", "Secret Street", "Photoshop", "xmpmeta", "City=Beijing"]) {
      expect(indexOfBytes(out, ascii(secret)), secret).toBe(-1);
    }
    expect(indexOfBytes(out, latitudeBytes())).toBe(-1);
  });

  it("keeps how the photo is turned, and nothing else of the Exif", () => {
    const out = strip(photo.file);
    const at = indexOfBytes(out, ascii("Exif\0\0"));
    expect(at).toBeGreaterThan(0);
    const length = (out[at - 2] << 8) | out[at - 1];
    expect(length).toBe(34);
    expect(exifOrientation(out.subarray(at, at + length - 2))).toBe(6);
  });

  it("writes no Exif at all when the photo is upright or has no orientation", () => {
    const upright = jpegParts([segment(0xe1, exifWithGps(1))]);
    expect(strip(upright.file)).toEqual(concat([upright.soi, ...upright.kept]));
    const plain = jpegParts();
    expect(strip(plain.file)).toEqual(plain.file);
  });

  it("gives the same bytes however the input is split into chunks", () => {
    const whole = strip(photo.file);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: photo.file.length }), (size) => {
        expect(strip(photo.file, size)).toEqual(whole);
      }),
      { numRuns: 40 },
    );
    expect(strip(photo.file, 1)).toEqual(whole);
  });

  it("follows the image data: stuffed bytes, restart markers, and metadata between scans", () => {
    const { soi, kept } = jpegParts();
    const [app0, dqt, sof0, dhtDc, dhtAc, sos] = kept;
    const scan1 = Uint8Array.of(0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff);
    const scan2 = Uint8Array.of(0x78, 0xff, 0x00);
    const file = concat([soi, app0, dqt, sof0, dhtDc, dhtAc, sos, scan1, comment(), dhtAc, segment(0xe1, exifWithGps()), sos, scan2, Uint8Array.of(0xff, 0xd9)]);
    const expected = concat([soi, app0, dqt, sof0, dhtDc, dhtAc, sos, scan1, dhtAc, orientationSegment(6), sos, scan2, Uint8Array.of(0xff, 0xd9)]);
    expect(strip(file)).toEqual(expected);
    expect(strip(file, 1)).toEqual(expected);
  });

  it("drops whatever follows the end of the image (trailers can carry location too)", () => {
    const trailer = concat([ascii("SEFT"), latitudeBytes()]);
    const out = strip(concat([photo.file, trailer]));
    expect(out).toEqual(strip(photo.file));
    expect(indexOfBytes(out, latitudeBytes())).toBe(-1);
  });

  it("accepts a photo whose image data stops without the end marker", () => {
    const plain = jpegParts().file;
    expect(strip(plain.subarray(0, -2))).toEqual(plain.subarray(0, -2));
  });

  it("refuses bytes that only start like a JPEG", () => {
    const fake = concat([Uint8Array.of(0xff, 0xd8, 0xff), ascii("<html><script>alert(1)</script></html>")]);
    expect(() => strip(fake)).toThrow(MalformedFileError);
    // Text between segments.
    const plain = jpegParts().file;
    expect(() => strip(concat([plain.subarray(0, 20), ascii("junk"), plain.subarray(20)]))).toThrow(MalformedFileError);
    // A segment length below 2.
    expect(() => strip(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01))).toThrow(MalformedFileError);
    // A second start of image, or the end before any image data.
    expect(() => strip(Uint8Array.of(0xff, 0xd8, 0xff, 0xd8))).toThrow(MalformedFileError);
    expect(() => strip(Uint8Array.of(0xff, 0xd8, 0xff, 0xd9))).toThrow(MalformedFileError);
  });

  it("refuses a file that stops before the image data", () => {
    const plain = jpegParts().file;
    expect(() => strip(plain.subarray(0, 40))).toThrow(MalformedFileError);
    expect(() => strip(Uint8Array.of(0xff))).toThrow(MalformedFileError);
  });
});

describe("exifOrientation", () => {
  it("reads Orientation from little- and big-endian Exif", () => {
    expect(exifOrientation(exifWithGps(3))).toBe(3);
    expect(exifOrientation(orientationSegment(8).subarray(4))).toBe(8);
  });

  it("returns null for anything that is not a readable Exif", () => {
    expect(exifOrientation(ascii("http://ns.adobe.com/xap/1.0/\0<x/>"))).toBeNull();
    expect(exifOrientation(ascii("Exif\0\0XX"))).toBeNull();
    // An IFD offset pointing past the end.
    expect(exifOrientation(concat([ascii("Exif\0\0"), Uint8Array.of(0x49, 0x49, 42, 0, 0xff, 0, 0, 0)]))).toBeNull();
  });
});
