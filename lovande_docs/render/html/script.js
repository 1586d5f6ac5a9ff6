// The web edition's script: overview, check, save to and open from a file, crash-recovery copy.
// Everything it shows comes from the page's data (labels.yaml, the model); the page works without it.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("lovande-data").textContent);
  var L = data.labels;
  var form = document.getElementById("guide");
  var storageKey = "lovande-docs:" + data.model.id + ":" + data.model.version;
  var $ = function (id) { return document.getElementById(id); };

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  // --- reading and writing the controls -------------------------------------------------------
  function controls(name) { return form.querySelectorAll('[name="' + name + '"]'); }

  // As the readers do (readers/interpret.py): line ends unified, trailing spaces dropped, empty is null.
  function normalise(text) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n").map(function (line) { return line.replace(/\s+$/, ""); });
    var joined = lines.join("\n").trim();
    return joined === "" ? null : joined;
  }

  function read(field) {
    var found = controls(field.name);
    if (field.kind === "choice") {
      for (var i = 0; i < found.length; i++) if (found[i].checked) return found[i].value;
      return null;
    }
    if (!found.length) return null;
    if (field.kind === "select") return found[0].value || null;
    return normalise(found[0].value);
  }

  function write(field, value) {
    var found = controls(field.name);
    if (field.kind === "choice") {
      for (var i = 0; i < found.length; i++) found[i].checked = found[i].value === value;
    } else if (found.length) {
      found[0].value = value === null ? "" : value;
    }
  }

  function fits(field, value) {
    return value === null || typeof value === "string" && (!field.options || field.options.indexOf(value) >= 0);
  }

  // --- the answers structure (lovande-answers/1) --------------------------------------------------
  function collect() {
    var parts = { practice: {}, questions: {}, elements: {}, assessment: {} };
    data.fields.forEach(function (field) {
      var target = parts[field.part];
      if (field.owner !== null) target = target[field.owner] = target[field.owner] || {};
      target[field.key] = read(field);
    });
    return parts;
  }

  function lookup(doc, field) {
    var values = doc[field.part] || {};
    if (field.owner !== null) values = values[field.owner] || {};
    return field.key in values ? values[field.key] : null;
  }

  function problems(parts) {
    var found = [];
    data.questions.forEach(function (q) {
      var values = parts.questions[q.id];
      var written = q.texts.some(function (name) { return values[name.split("__")[1]] !== null; });
      if (written && values[q.answer.split("__")[1]] === null) {
        found.push({ field: q.answer, kind: "description_without_answer",
                     message: q.title + ": a description is written but none of the answer boxes is ticked." });
      }
    });
    return found;
  }

  function utf8(text) { return new TextEncoder().encode(text); }

  function answersDocument(fileName) {
    var parts = collect();
    var body = utf8(JSON.stringify(parts));
    return {
      schema: data.schema,
      // the page cannot hash the file it is writing: source describes the answers (see docs/web-edition.md)
      source: { file: fileName, sha256: sha256(body), format: "html", size: body.length },
      model: { id: data.model.id, version: data.model.version, content_hash: data.model.content_hash,
               generator: data.model.generator, known: true, read_with: data.model.id + " " + data.model.version },
      practice: parts.practice, questions: parts.questions, elements: parts.elements, assessment: parts.assessment,
      problems: problems(parts)
    };
  }

  // SHA-256 (FIPS 180-4) in plain script: crypto.subtle is missing on pages not served securely.
  function sha256(bytes) {
    var k = [], h = [], i, j;
    function frac(x) { return (x - Math.floor(x)) * 4294967296 | 0; }
    for (var n = 2, found = 0; found < 64; n++) {
      for (j = 2; j * j <= n && n % j; j++);
      if (j * j > n) { if (found < 8) h[found] = frac(Math.pow(n, 1 / 2)); k[found++] = frac(Math.pow(n, 1 / 3)); }
    }
    var length = bytes.length, words = [], w = new Array(64);
    for (i = 0; i < length; i++) words[i >> 2] |= bytes[i] << (24 - (i % 4) * 8);
    words[length >> 2] |= 0x80 << (24 - (length % 4) * 8);
    var total = ((length + 8) >> 6) * 16 + 16;
    for (i = words.length; i < total; i++) words[i] = words[i] | 0;
    words[total - 1] = length * 8;
    words[total - 2] = Math.floor(length / 536870912);
    function rotr(x, r) { return (x >>> r) | (x << (32 - r)); }
    for (i = 0; i < total; i += 16) {
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (j = 0; j < 64; j++) {
        if (j < 16) w[j] = words[i + j] | 0;
        else {
          var s0 = rotr(w[j - 15], 7) ^ rotr(w[j - 15], 18) ^ (w[j - 15] >>> 3);
          var s1 = rotr(w[j - 2], 17) ^ rotr(w[j - 2], 19) ^ (w[j - 2] >>> 10);
          w[j] = (w[j - 16] + s0 + w[j - 7] + s1) | 0;
        }
        var t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[j] + w[j]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h = [a + h[0], b + h[1], c + h[2], d + h[3], e + h[4], f + h[5], g + h[6], hh + h[7]].map(function (x) { return x | 0; });
    }
    return h.map(function (x) { return ("00000000" + (x >>> 0).toString(16)).slice(-8); }).join("");
  }

  // --- messages -------------------------------------------------------------------------------------
  function say(text) { $("status").textContent = text; }

  function showError(text) {
    $("error-text").textContent = text;
    $("error").hidden = false;
    $("error").focus();
  }

  // --- save and open ------------------------------------------------------------------------------
  function save() {
    var name = fill(L.answers_file, { model: data.model.id, version: data.model.version });
    var text = JSON.stringify(answersDocument(name), null, 2) + "\n";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    say(fill(L.save_done, { file: name }));
  }

  function open(text, name) {
    var doc;
    try { doc = JSON.parse(text); } catch (error) { return showError(fill(L.error_not_json, { file: name })); }
    if (Array.isArray(doc)) {
      if (doc.length !== 1) return showError(fill(L.error_several, { file: name, count: doc.length }));
      doc = doc[0];
    }
    if (!doc || typeof doc !== "object" || doc.schema !== data.schema || typeof doc.questions !== "object" || !doc.questions) {
      return showError(fill(L.error_not_answers, { file: name }));
    }
    var model = doc.model || {};
    if (model.id && model.id !== data.model.id) {
      return showError(fill(L.error_other_model, { file: name, model: model.id }));
    }
    var result = apply(doc);
    $("error").hidden = true;
    var message = fill(L.open_done, { file: name, count: result.filled });
    if (model.version && model.version !== data.model.version) message += " " + fill(L.open_other_version, { version: model.version });
    if (result.skipped) message += " " + fill(L.open_skipped, { count: result.skipped });
    say(message);
    changed();
  }

  // Every field takes the file's value (or none): the page then shows exactly what the file holds.
  function apply(doc) {
    var filled = 0, skipped = 0;
    data.fields.forEach(function (field) {
      var value = lookup(doc, field);
      if (!fits(field, value)) { skipped++; value = null; }
      write(field, value);
      if (value !== null) filled++;
    });
    return { filled: filled, skipped: skipped };
  }

  // --- overview and check ---------------------------------------------------------------------------
  function answered(parts) {
    return data.questions.filter(function (q) { return parts.questions[q.id][q.answer.split("__")[1]] !== null; });
  }

  function overview(parts) {
    var done = {}, counts = {};
    answered(parts).forEach(function (q) { done[q.element] = (done[q.element] || 0) + 1; });
    data.questions.forEach(function (q) { counts[q.element] = (counts[q.element] || 0) + 1; });
    var complete = 0;
    data.elements.forEach(function (element) {
      var total = counts[element.id] || 0, count = done[element.id] || 0;
      if (count === total) complete++;
      $("count-" + element.id).textContent = fill(L.overview_element, { answered: count, total: total });
    });
    $("overview-done").textContent = fill(L.overview_done, { done: complete, count: data.elements.length });
  }

  function check() {
    var parts = collect(), have = {};
    answered(parts).forEach(function (q) { have[q.id] = true; });
    var missing = data.questions.filter(function (q) { return !have[q.id]; });
    var list = $("check-list");
    list.textContent = "";
    missing.forEach(function (q) {
      var item = document.createElement("li"), link = document.createElement("a");
      var first = controls(q.answer)[0];
      link.href = "#" + (first ? first.id : "q-" + q.id);
      link.textContent = q.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    $("check-heading").textContent = missing.length ? fill(L.check_heading, { count: missing.length }) : L.check_none;
    $("check").hidden = false;
    $("check-heading").focus();
  }

  // --- the crash-recovery copy -----------------------------------------------------------------------
  var timer = null, offered = false;  // while a copy is offered, it is not overwritten
  function remember() {
    if (offered) return;
    try {
      localStorage.setItem(storageKey, JSON.stringify({ time: new Date().toISOString(), answers: collect() }));
    } catch (error) { /* storage full or switched off: the copy is only a safety net */ }
  }

  function changed() {
    overview(collect());
    clearTimeout(timer);
    timer = setTimeout(remember, 300);
  }

  function stored() {
    try { return JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (error) { return null; }
  }

  function offerCopy() {
    var copy = stored();
    if (!copy || !copy.answers) return;
    var any = data.fields.some(function (field) { return lookup(copy.answers, field) !== null; });
    if (!any) return;
    $("autosave-found").textContent = fill(L.autosave_found, { time: new Date(copy.time).toLocaleString(document.documentElement.lang) });
    $("autosave-offer").hidden = false;
    offered = true;
  }

  // --- wiring -------------------------------------------------------------------------------------------
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  $("save").addEventListener("click", save);
  $("open").addEventListener("click", function () { $("open-file").click(); });
  $("open-file").addEventListener("change", function () {
    var file = this.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () { open(String(reader.result), file.name); };
    reader.onerror = function () { showError(fill(L.error_not_json, { file: file.name })); };
    reader.readAsText(file);
    this.value = "";
  });
  $("check-button").addEventListener("click", check);
  $("autosave-restore").addEventListener("click", function () {
    var copy = stored();
    if (copy) apply(copy.answers);
    $("autosave-offer").hidden = true;
    offered = false;
    say(L.autosave_restored);
    changed();
  });
  $("autosave-discard").addEventListener("click", function () {
    try { localStorage.removeItem(storageKey); } catch (error) { /* nothing stored */ }
    $("autosave-offer").hidden = true;
    offered = false;
    say(L.autosave_discarded);
  });
  window.addEventListener("beforeunload", function () { if (timer) remember(); });

  offerCopy();
  overview(collect());
  $("tools").hidden = false;
})();
