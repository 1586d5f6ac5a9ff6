// What Firefox's PDF viewer (pdf.js) gives assistive technology: per page, the structure tree
// from page.getStructTree() read in order, with each marked-content leaf resolved to its text
// (getTextContent with marked content) and each annotation leaf to its widget or link.
// Usage: node structtree.mjs FILE.pdf → JSON {pages: [[{role, text, alt} | {role, field, name, alt}...]],
//        fields: {name: [{type, id}]}}
// ``alt`` is the /Alt of the element holding the leaf: the viewer's struct layer gives it to an
// annotation's control as aria-label (a widget's /TU only names a wrapping region), and to any
// other element as its accessible name.
import { openPdf } from "./open_pdf.mjs";

const doc = await openPdf(process.argv[2]);

async function textById(page) {
  // Marked-content ids as the struct tree names them ("p<ref>R_mc<n>") → the text inside.
  const content = await page.getTextContent({ includeMarkedContent: true });
  const out = new Map();
  const stack = [];
  for (const item of content.items) {
    if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
      stack.push(item.id ?? null);
    } else if (item.type === "endMarkedContent") {
      stack.pop();
    } else if (item.str !== undefined) {
      const id = stack.findLast((x) => x);
      if (id) out.set(id, (out.get(id) ?? "") + item.str);
    }
  }
  return out;
}

const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const texts = await textById(page);
  const annotations = new Map((await page.getAnnotations()).map((a) => [a.id, a]));
  const tree = await page.getStructTree();
  const events = [];
  const walk = (node, role, alt) => {
    if (node.type === "content") {
      events.push({ role, text: texts.get(node.id) ?? "", alt });
      return;
    }
    if (node.type === "annotation") {
      const a = annotations.get(node.id.replace(/^pdfjs_internal_id_/, ""));
      events.push({ role, annotation: a ? a.subtype : null, field: a?.fieldName ?? null,
                    name: a?.alternativeText ?? null, alt });
      return;
    }
    for (const child of node.children ?? []) walk(child, node.role ?? role, node.alt ?? null);
  };
  if (tree) walk(tree, "Root", null);
  pages.push(events);
}
const fields = await doc.getFieldObjects();
const summary = {};
for (const [name, objects] of Object.entries(fields ?? {})) {
  summary[name] = objects.filter((o) => o.type).map((o) => ({ type: o.type, id: o.id }));
}
process.stdout.write(JSON.stringify({ pages, fields: summary }));
