import { describe, expect, it } from "vitest";
import { detectEvidenceFormat } from "~/domain/evidence/file-format";
import { ascii, gifFile, heifFile, htmlNamedPdf, jpegParts, pdfFile, pngParts, svgFile, zipFile } from "./sample-files";

describe("detectEvidenceFormat", () => {
  it("recognises PDF, JPEG, PNG and HEIF still images by their first bytes", () => {
    expect(detectEvidenceFormat(pdfFile())).toBe("pdf");
    expect(detectEvidenceFormat(jpegParts().file)).toBe("jpeg");
    expect(detectEvidenceFormat(pngParts().file)).toBe("png");
    for (const brand of ["heic", "heix", "hevc", "hevx", "mif1", "msf1", "heim", "heis"]) expect(detectEvidenceFormat(heifFile(brand)), brand).toBe("heic");
  });

  it("recognises nothing else, whatever it claims to be", () => {
    for (const bytes of [htmlNamedPdf(), svgFile(), gifFile(), zipFile(), ascii("hello"), heifFile("avif"), heifFile("mp41"), new Uint8Array(0)]) {
      expect(detectEvidenceFormat(bytes)).toBeNull();
    }
  });

  it("needs the whole signature", () => {
    expect(detectEvidenceFormat(ascii("%PDF"))).toBeNull();
    expect(detectEvidenceFormat(Uint8Array.of(0xff, 0xd8))).toBeNull();
    expect(detectEvidenceFormat(pngParts().file.subarray(0, 7))).toBeNull();
    expect(detectEvidenceFormat(heifFile().subarray(0, 11))).toBeNull();
    // A lowercase "%pdf-" or a PNG signature with a wrong byte.
    expect(detectEvidenceFormat(ascii("%pdf-1.4"))).toBeNull();
    const png = pngParts().file.slice(0, 12);
    png[4] = 0x0a;
    expect(detectEvidenceFormat(png)).toBeNull();
  });
});
