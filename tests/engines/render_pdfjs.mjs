// Render pages as Firefox prints them: pdf.js drawing every widget from its appearance stream.
// Usage: node render_pdfjs.mjs IN.pdf SCALE OUT_PREFIX PAGE...   (pages 1-based; writes PREFIX-N.png)
import { writeFileSync } from "node:fs";
import { createCanvas } from "@napi-rs/canvas";
import { AnnotationMode } from "pdfjs-dist/legacy/build/pdf.mjs";
import { openPdf } from "./open_pdf.mjs";

const [input, scaleText, prefix, ...pages] = process.argv.slice(2);
const doc = await openPdf(input);
for (const n of pages) {
  const page = await doc.getPage(Number(n));
  const viewport = page.getViewport({ scale: Number(scaleText) });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = canvas.getContext("2d");
  context.fillStyle = "white";
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvas, canvasContext: context, viewport, annotationMode: AnnotationMode.ENABLE_STORAGE,
                      intent: "print" }).promise;
  writeFileSync(`${prefix}-${n}.png`, canvas.toBuffer("image/png"));
}
await doc.destroy();
