// One way to open a PDF in pdf.js as Firefox's viewer does: with its character maps and standard
// font data, so non-Latin text and the standard fonts draw as they would there.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const pdfjs = join(dirname(fileURLToPath(import.meta.url)), "node_modules", "pdfjs-dist");

export function openPdf(path) {
  return getDocument({
    data: new Uint8Array(readFileSync(path)),
    cMapUrl: join(pdfjs, "cmaps") + "/",
    cMapPacked: true,
    standardFontDataUrl: join(pdfjs, "standard_fonts") + "/",
    verbosity: 0,
  }).promise;
}
