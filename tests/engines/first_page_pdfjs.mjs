// Time from having a PDF's bytes to its first page drawn, as pdf.js (Firefox's viewer) does it:
// parse the document, get page 1, render it at screen scale with its form widgets.
// Usage: node first_page_pdfjs.mjs IN.pdf REPEAT   (prints a JSON list of milliseconds)
import { createCanvas } from "@napi-rs/canvas";
import { AnnotationMode } from "pdfjs-dist/legacy/build/pdf.mjs";
import { openPdf } from "./open_pdf.mjs";

const [input, repeatText] = process.argv.slice(2);
const times = [];
for (let i = 0; i < Number(repeatText || 5); i++) {
  const started = performance.now();
  const doc = await openPdf(input);
  const page = await doc.getPage(1);
  const viewport = page.getViewport({ scale: 96 / 72 });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  await page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport,
                      annotationMode: AnnotationMode.ENABLE_FORMS }).promise;
  times.push(performance.now() - started);
  await doc.destroy();
}
console.log(JSON.stringify(times));
