// Fill a PDF the way Firefox's viewer does: pdf.js annotation storage, then saveDocument().
// Usage: node fill_pdfjs.mjs IN.pdf VALUES.json OUT.pdf
//   VALUES.json: {"field name": "text" | "export code of a radio option or combo entry"}
// Prints JSON: {"widgets": n, "unnamed": [field names of widgets without an accessible name],
//               "set": [field names set]}
import { readFileSync, writeFileSync } from "node:fs";
import { openPdf } from "./open_pdf.mjs";

const [input, valuesPath, output] = process.argv.slice(2);
const values = JSON.parse(readFileSync(valuesPath, "utf8"));

const doc = await openPdf(input);

const storage = doc.annotationStorage;
const unnamed = [];
const set = new Set();
let widgets = 0;
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  for (const a of await page.getAnnotations()) {
    if (a.subtype !== "Widget") continue;
    widgets++;
    // Firefox's accessible name of a widget: its own /TU (alternativeText), nothing inherited.
    if (!a.alternativeText) unnamed.push(a.fieldName);
    if (!(a.fieldName in values)) continue;
    const value = values[a.fieldName];
    if (a.radioButton) {
      storage.setValue(a.id, { value: a.buttonValue === value });
    } else if (a.fieldType === "Ch") {
      storage.setValue(a.id, { value: [value] });
    } else if (a.fieldType === "Tx") {
      storage.setValue(a.id, { value });
    } else {
      continue;
    }
    set.add(a.fieldName);
  }
}
writeFileSync(output, await doc.saveDocument());
await doc.destroy();
process.stdout.write(JSON.stringify({ widgets, unnamed, set: [...set].sort() }));
