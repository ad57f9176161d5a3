// Text pasted into a Markdown box from Word, a PDF or a web page arrives as clean
// Markdown: bullets and numbered lines become lists, Word's paragraphs stay paragraphs,
// bold, italic and web links are kept, bare web addresses become links. Anything else
// is pasted by the browser as it always was. The clipboard's HTML is read with
// DOMParser, never put into this page, so nothing in it runs or loads.
(function () {
  "use strict";

  // ---- plain text: a PDF, a text file, an e-mail -------------------------------------

  // "•\tItem", "  ◦ Item", "o\tItem" (Word's second level), "- item", "* item".
  var BULLET_LINE = /^([ \t]*)([•◦▪·\u2043\u2219\uf0b7\uf0a7\-*]|o(?=\t)|§(?=\t))[ \t]+(\S.*)$/;
  // "1)", "1.", "(1)", "a.", "a)", "(a)", "i.", "(iv)", "IV.", each then a tab or spaces.
  // Word and Outlook sometimes put a non-breaking space after the marker.
  var NUMBER_LINE = /^([ \t]*)(\()?(\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})([.)])([ \t\u00a0]+)(\S.*)$/;
  var SECOND_LEVEL = /^[◦o]$/;
  var THIRD_LEVEL = /^[▪§\uf0a7]$/;

  // A line that carries on a list item rather than starting a paragraph: a PDF wraps an
  // item mid-sentence (a small letter next) or keeps its hanging indent.
  var WRAPPED = /^([ \t]+\S|[a-z\u00df-\u00ff])/;
  var RULE_LINE = /^\s*([-*_])(\s*\1){2,}\s*$/;  // "* * *" is a rule, not a list

  function parseLine(line) {
    if (RULE_LINE.test(line)) { return null; }
    var bullet = BULLET_LINE.exec(line);
    if (bullet) {
      return { indent: width(bullet[1]), glyph: bullet[2], ordered: false, text: bullet[3] };
    }
    var number = NUMBER_LINE.exec(line);
    if (number && !(number[2] && number[4] !== ")") && !nameNotMarker(number)) {
      var digits = /^\d+$/.test(number[3]);
      return {
        indent: width(number[1]),
        ordered: true,
        lettered: !digits,
        // The marker as written: the paper prints a), (iv) and 1) as they were typed.
        marker: (number[2] || "") + number[3] + number[4],
        start: digits ? parseInt(number[3], 10) : 1,
        text: number[6]
      };
    }
    return null;
  }

  // "A. N. Other": a capital and a full stop are a list's marker only with two spaces
  // (or a tab) after them, as the Markdown the paper reads asks.
  function nameNotMarker(number) {
    return !number[2] && number[4] === "." && /^[A-Z]$/.test(number[3]) &&
      !/^(\t|[ \u00a0]{2})/.test(number[5]);
  }

  function width(space) {
    return space.replace(/\t/g, "    ").length;
  }

  // The list level of each item: deeper indentation goes one level down, and Word's
  // "o" and "▪" bullets say second and third level even where the indentation is lost.
  function levelled(items) {
    var indents = [];
    var previous = 0;
    items.forEach(function (item) {
      while (indents.length && indents[indents.length - 1] > item.indent) { indents.pop(); }
      if (!indents.length || indents[indents.length - 1] < item.indent) { indents.push(item.indent); }
      var level = indents.length;
      if (item.glyph && SECOND_LEVEL.test(item.glyph)) { level = Math.max(level, 2); }
      if (item.glyph && THIRD_LEVEL.test(item.glyph) && previous >= 2) { level = Math.max(level, 3); }
      item.level = Math.min(level, previous + 1);
      previous = item.level;
    });
    return items;
  }

  function fromText(text) {
    var lines = String(text || "").replace(/\r\n?/g, "\n").split("\n");
    var out = [];
    var run = [];        // the list being read: its items, and the lines that carry on from them
    var afterBlank = true;

    function endRun() {
      if (!run.length) { return false; }
      var items = run.filter(function (entry) { return entry.item; })
        .map(function (entry) { return entry.item; });
      // One line starting "(c)" is more likely "(c) Crown copyright" than a list.
      var written = items.length === 1 && items[0].lettered ? null : listLines(levelled(items));
      // A list cannot always interrupt a paragraph in Markdown: a blank line first.
      if (written && out.length && out[out.length - 1].trim() !== "") { out.push(""); }
      var i = 0;
      run.forEach(function (entry) {
        if (!written) { out.push(entry.line); }
        else { out.push(entry.item ? written[i++] : entry.line.replace(/^[ \t]+/, "")); }
      });
      run = [];
      return !!written;
    }

    lines.forEach(function (line) {
      var item = parseLine(line);
      if (item) {
        run.push({ item: item, line: line });
        afterBlank = false;
      } else if (line.trim() === "") {
        if (run.length) { run.push({ line: line }); } else { out.push(line); }
        afterBlank = true;
      } else if (run.length && !afterBlank && WRAPPED.test(line)) {
        run.push({ line: line });  // a list item wrapped onto the next line
      } else {
        // A paragraph straight after a list would join its last item in Markdown.
        if (endRun() && !afterBlank) { out.push(""); }
        out.push(line);
        afterBlank = false;
      }
    });
    endRun();
    return linkBareAddresses(out.join("\n"));
  }

  // Markdown for list items in order: "- " for bullets, "1. " numbered from each list's
  // start, nested items indented under their parent's words.
  function listLines(items) {
    var stack = [];  // per level: {ordered, number, width}
    var topKind = null;
    return items.map(function (item) {
      var level = Math.max(1, Math.min(item.level || 1, stack.length + 1));
      stack.length = level;
      var here = stack[level - 1];
      if (!here || here.ordered !== item.ordered) {
        here = { ordered: item.ordered, number: item.start || 1 };
      } else {
        here = { ordered: here.ordered, number: here.number + 1 };
      }
      var marker = item.ordered ? (item.marker || here.number + ".") : "-";
      var space = /^[A-Z][.]$/.test(marker) ? "  " : " ";
      here.width = marker.length + space.length;
      stack[level - 1] = here;
      var indent = 0;
      for (var i = 0; i < level - 1; i++) { indent += stack[i].width; }
      var pad = new Array(indent + 1).join(" ");
      // A bullet list straight after a numbered one (or the reverse) is a new list.
      var gap = level === 1 && topKind !== null && topKind !== item.ordered ? "\n" : "";
      if (level === 1) { topKind = item.ordered; }
      var under = "\n" + pad + new Array(here.width + 1).join(" ");  // a line break inside the item
      var body = String(item.text).split("\n").join(under);
      return gap + pad + marker + space + body;
    });
  }

  // ---- bare web addresses ------------------------------------------------------------

  // Markdown links and autolinks already written, code, and bare addresses; only the
  // last are changed.
  var ADDRESS_OR_SKIP =
    /(\[[^\]\n]*\]\([^)\n]*\))|(<[^>\s]+>)|(`[^`\n]*`)|((?:https?:\/\/|www\.)[^\s<>"]+)/gi;

  function linkBareAddresses(text) {
    return text.replace(ADDRESS_OR_SKIP, function (match, link, auto, code, address, offset, whole) {
      if (!address) { return match; }
      var before = offset > 0 ? whole.charAt(offset - 1) : "";
      if (before && /[\w@/.:\-]/.test(before)) { return match; }
      var trimmed = trimAddress(address);
      var rest = address.slice(trimmed.length);
      if (/^www\.$/i.test(trimmed) || !/\.[a-z]/i.test(trimmed.replace(/^https?:\/\//i, ""))) {
        return match;
      }
      var full = /^www\./i.test(trimmed) ? "https://" + trimmed : trimmed;
      return "<" + full + ">" + rest;
    });
  }

  // A sentence's full stop, comma or closing bracket is not part of the address.
  function trimAddress(address) {
    var end = address.length;
    for (;;) {
      var last = address.charAt(end - 1);
      var kept = address.slice(0, end);
      if (/[.,;:!?'"’”*_]/.test(last)) { end -= 1; continue; }
      if (last === ")" && count(kept, "(") < count(kept, ")")) { end -= 1; continue; }
      if (last === "]" && count(kept, "[") < count(kept, "]")) { end -= 1; continue; }
      return address.slice(0, end);
    }
  }

  function count(text, ch) {
    return text.split(ch).length - 1;
  }

  // ---- HTML: Word, Google Docs, web pages --------------------------------------------

  var SKIPPED = {};
  ("STYLE SCRIPT META TITLE HEAD LINK TEMPLATE XML NOSCRIPT IMG svg SVG BUTTON INPUT SELECT " +
   "TEXTAREA IFRAME OBJECT").split(" ").forEach(function (name) { SKIPPED[name] = 1; });
  var BLOCKS = "address,article,aside,blockquote,dd,div,dl,dt,figcaption,figure,footer," +
    "h1,h2,h3,h4,h5,h6,header,hr,li,main,nav,ol,p,pre,section,table,tbody,td,tfoot,th,thead,tr,ul";
  var BLOCK = {};
  BLOCKS.split(",").forEach(function (name) { BLOCK[name.toUpperCase()] = 1; });
  var SAFE_LINK = /^(https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s]+)$/i;
  var WORD_LIST = /mso-list:\s*l\d+\s+level(\d+)/i;

  function skipped(el) {
    if (SKIPPED[el.tagName] || SKIPPED[el.localName]) { return true; }
    if (el.localName && el.localName.indexOf(":") >= 0) { return true; }  // o:p, v:shape, w:…
    var style = el.getAttribute("style") || "";
    return /mso-list:\s*ignore|display:\s*none|mso-hide:\s*all/i.test(style);
  }

  function isBlock(el) {
    return BLOCK[el.tagName] === 1;
  }

  function holdsBlocks(el) {
    return !!el.querySelector(BLOCKS);
  }

  function fromHtml(html) {
    var doc = new DOMParser().parseFromString(String(html || ""), "text/html");
    var blocks = [];
    var state = { text: "" };
    walk(doc.body, blocks, state, 0);
    endParagraph(blocks, state);
    return linkBareAddresses(writeBlocks(blocks));
  }

  function endParagraph(blocks, state) {
    var text = tidy(state.text);
    if (text) { blocks.push({ type: "p", text: text }); }
    state.text = "";
  }

  function walk(node, blocks, state, depth) {
    Array.prototype.forEach.call(node.childNodes, function (child) {
      if (child.nodeType === 3) {
        state.text += spaced(child.nodeValue);
      } else if (child.nodeType !== 1 || skipped(child)) {
        return;
      } else if (child.tagName === "BR") {
        state.text += "\n";
      } else if (child.tagName === "UL" || child.tagName === "OL") {
        endParagraph(blocks, state);
        list(child, blocks, depth + 1);
      } else if (child.tagName === "LI") {
        endParagraph(blocks, state);
        listItem(child, blocks, depth + 1, false, 1, "");
      } else if (wordListLevel(child)) {
        endParagraph(blocks, state);
        blocks.push(wordListItem(child));
      } else if (isBlock(child) || holdsBlocks(child)) {
        // A Google Docs paste wraps everything in one <b style="font-weight:normal">.
        endParagraph(blocks, state);
        walk(child, blocks, state, depth);
        endParagraph(blocks, state);
      } else {
        state.text += styled(child, {});
      }
    });
  }

  function list(el, blocks, depth) {
    var ordered = el.tagName === "OL";
    var number = parseInt(el.getAttribute("start"), 10);
    if (isNaN(number)) { number = 1; }
    Array.prototype.forEach.call(el.children, function (child) {
      if (child.tagName === "LI") {
        var value = parseInt(child.getAttribute("value"), 10);
        if (!isNaN(value)) { number = value; }
        listItem(child, blocks, depth, ordered, number, ordered ? numbering(el, child) : "");
        number += 1;
      } else if (child.tagName === "UL" || child.tagName === "OL") {
        list(child, blocks, depth + 1);  // a list nested straight in a list, as some editors write
      }
    });
  }

  // How an <ol> numbers its items: its type attribute, or its or the item's
  // list-style-type (Google Docs writes lower-alpha on each item).
  var NUMBERINGS = {
    "a": "a", "lower-alpha": "a", "lower-latin": "a", "A": "A", "upper-alpha": "A",
    "upper-latin": "A", "i": "i", "lower-roman": "i", "I": "I", "upper-roman": "I"
  };

  function numbering(ol, li) {
    var styled = /list-style-type:\s*([a-z-]+)/i;
    var found = styled.exec(li.getAttribute("style") || "") ||
      styled.exec(ol.getAttribute("style") || "");
    return NUMBERINGS[found ? found[1].toLowerCase() : ol.getAttribute("type") || ""] || "";
  }

  // Letters as far as z and roman numerals below 4,000, as the paper reads them; a
  // number outside those (a hostile start="999999999999") is written as a number.
  function label(kind, number) {
    if (!(number >= 1) || ((kind === "a" || kind === "A") && number > 26) || number >= 4000) {
      return String(Math.max(0, Math.floor(number) || 0));
    }
    if (kind === "a" || kind === "A") {
      var letters = "";
      for (var n = number; n > 0; n = Math.floor((n - 1) / 26)) {
        letters = String.fromCharCode(97 + (n - 1) % 26) + letters;
      }
      return kind === "A" ? letters.toUpperCase() : letters;
    }
    if (kind === "i" || kind === "I") {
      var numeral = "";
      [[1000, "m"], [900, "cm"], [500, "d"], [400, "cd"], [100, "c"], [90, "xc"], [50, "l"],
        [40, "xl"], [10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"]].forEach(function (pair) {
        while (number >= pair[0]) { numeral += pair[1]; number -= pair[0]; }
      });
      return kind === "I" ? numeral.toUpperCase() : numeral;
    }
    return String(number);
  }

  function listItem(li, blocks, depth, ordered, number, kind) {
    // Google Docs and Word on the web say an item's level outright.
    var ariaLevel = parseInt(li.getAttribute("aria-level") || li.getAttribute("data-aria-level"), 10);
    var level = Math.max(depth, isNaN(ariaLevel) ? 0 : ariaLevel);
    var words = [];
    var nested = [];
    Array.prototype.forEach.call(li.childNodes, function (child) {
      if (child.nodeType === 1 && (child.tagName === "UL" || child.tagName === "OL")) {
        nested.push(child);
      } else if (child.nodeType === 3) {
        words.push(spaced(child.nodeValue));
      } else if (child.nodeType === 1 && !skipped(child)) {
        words.push(isBlock(child) ? " " + inline(child, {}) + " " : styled(child, {}));
      }
    });
    var text = tidy(words.join(""));
    var marker = ordered && kind ? label(kind, number) + "." : "";
    blocks.push({ type: "li", level: level, ordered: ordered, start: number, marker: marker, text: text });
    nested.forEach(function (child) { list(child, blocks, level + 1); });
  }

  // Word writes a list item as a paragraph styled "mso-list:l0 level2 lfo1", its bullet
  // or number inside a span styled "mso-list:Ignore".
  function wordListLevel(el) {
    var found = WORD_LIST.exec(el.getAttribute("style") || "");
    return found ? parseInt(found[1], 10) : 0;
  }

  function wordListItem(el) {
    var marker = el.querySelector("[style*='mso-list'][style*='gnore'], " +
      "[style*='mso-list'][style*='GNORE']");
    var label = marker ? marker.textContent.replace(/[\s\u00a0]+/g, "") : "";
    var numbered = /^(\()?(\d+|[a-zA-Z]|[ivxlcIVXLC]+)([.)])$/.exec(label);
    if (numbered && numbered[1] && numbered[3] !== ")") { numbered = null; }
    var start = numbered && /^\d+$/.test(numbered[2]) ? parseInt(numbered[2], 10) : 1;
    return {
      type: "li",
      level: wordListLevel(el),
      ordered: !!numbered,
      marker: numbered ? label : "",  // Word's own label, a) or (iv), as it printed it
      start: start,
      text: tidy(inline(el, {}))
    };
  }

  // The Markdown for an element's words: **bold**, *italic*, [links](https://…).
  function inline(el, inside) {
    var text = "";
    Array.prototype.forEach.call(el.childNodes, function (child) {
      if (child.nodeType === 3) {
        text += spaced(child.nodeValue);
      } else if (child.nodeType === 1 && !skipped(child)) {
        text += child.tagName === "BR" ? "\n" : styled(child, inside);
      }
    });
    return text;
  }

  function styled(el, inside) {
    var tag = el.tagName;
    var style = (el.getAttribute("style") || "").toLowerCase();
    if (tag === "A") { return linked(el, inside); }
    var bold = (tag === "B" || tag === "STRONG" || /font-weight:\s*(bold|[6-9]00)/.test(style)) &&
      !/font-weight:\s*(normal|[1-4]00)/.test(style);
    var italic = (tag === "I" || tag === "EM" || /font-style:\s*italic/.test(style)) &&
      !/font-style:\s*normal/.test(style);
    var words = inline(el, {
      bold: inside.bold || bold,
      italic: inside.italic || italic,
      link: inside.link
    });
    if (italic && !inside.italic) { words = wrap(words, "*"); }
    if (bold && !inside.bold) { words = wrap(words, "**"); }
    return words;
  }

  // "** words **" is not bold in Markdown: the spaces go outside the marks.
  function wrap(words, mark) {
    var parts = /^(\s*)([\s\S]*?)(\s*)$/.exec(words);
    return parts[2] ? parts[1] + mark + parts[2] + mark + parts[3] : words;
  }

  function linked(el, inside) {
    var words = inline(el, { bold: inside.bold, italic: inside.italic, link: true });
    var href = (el.getAttribute("href") || "").trim();
    if (inside.link || !SAFE_LINK.test(href)) { return words; }
    var shown = words.trim();
    var address = href.replace(/^mailto:/i, "");
    var lead = /^\s*/.exec(words)[0];
    var trail = shown ? /\s*$/.exec(words)[0] : "";
    var encoded = function (text, characters) {
      return text.replace(characters, function (ch) {
        return "%" + ch.charCodeAt(0).toString(16).toUpperCase();
      });
    };
    if (!shown || shown === href || shown === address) {
      // <name@example.org> is an e-mail link; a "<", ">" or space inside would end it.
      return lead + "<" + encoded(address, /[ <>]/g) + ">" + trail;
    }
    var label = shown.replace(/([[\]])/g, "\\$1").replace(/\n/g, " ");
    var target = encoded(href, /[ ()<>]/g);
    return lead + "[" + label + "](" + target + ")" + trail;
  }

  // Word's HTML wraps its source lines anywhere: within one paragraph any run of
  // spaces and line breaks is one space. A lone non-breaking space between words
  // (10 km) stays as typed; padding made of them does not.
  function spaced(text) {
    return text.replace(/[ \t\r\n\u00a0]{2,}|[\t\r\n]/g, " ");
  }

  function tidy(text) {
    return text
      .split("\n")
      .map(function (line) { return line.replace(/^[ \u00a0]+|[ \u00a0]+$/g, ""); })
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .replace(/^\n+|\n+$/g, "");
  }

  function writeBlocks(blocks) {
    var out = [];
    var items = [];
    function endList() {
      if (!items.length) { return; }
      if (out.length) { out.push(""); }
      out.push(listLines(items).join("\n"));
      items = [];
    }
    blocks.forEach(function (block) {
      if (block.type === "li") {
        if (block.text) { items.push(block); }
        return;
      }
      endList();
      if (out.length) { out.push(""); }
      out.push(block.text);
    });
    endList();
    return out.join("\n");
  }

  // ---- the paste itself --------------------------------------------------------------

  // The Markdown for a clipboard, or null where the browser's own paste does as well.
  function convert(data) {
    var html = data.getData("text/html");
    var plain = (data.getData("text/plain") || "").replace(/\r\n?/g, "\n");
    if (/white-space:\s*pre/i.test(html)) { html = ""; }  // a code editor's: its text is exact
    var md = html ? fromHtml(html) : fromText(plain);
    if (!md.trim()) { return null; }
    if (html && md.trim() === plain.trim()) { return null; }
    if (!html && md === plain) { return null; }
    return html ? md.replace(/^\n+|\s+$/g, "") : md;
  }

  var LIST_START = /^\s*(- |\(?(\d+|[a-zA-Z]|[ivxlcIVXLC]+)[.)] )/;

  // A list or paragraphs pasted mid-line start on a line of their own.
  function padded(field, md) {
    if (md.indexOf("\n") < 0 && !LIST_START.test(md)) { return md; }
    var before = field.value.slice(0, field.selectionStart);
    var after = field.value.slice(field.selectionEnd);
    var lastLine = before.slice(before.lastIndexOf("\n", before.length - 2) + 1);
    var lead = "";
    if (before && !/\n\n$/.test(before)) {
      var moreOfAList = LIST_START.test(lastLine) && LIST_START.test(md);
      lead = /\n$/.test(before) ? (moreOfAList ? "" : "\n") : "\n\n";
    }
    var trail = "";
    if (after && !/^\n\n/.test(after)) { trail = /^\n/.test(after) ? "\n" : "\n\n"; }
    return lead + md + trail;
  }

  function insert(field, md) {
    field.focus();
    var done = false;
    try { done = document.execCommand("insertText", false, md); } catch (e) { done = false; }
    if (!done || field.value.indexOf(md) < 0) {
      field.setRangeText(md, field.selectionStart, field.selectionEnd, "end");
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function onPaste(event) {
    var field = event.target;
    if (!(field instanceof HTMLTextAreaElement) || !field.hasAttribute("data-markdown")) { return; }
    if (field.readOnly || field.disabled || !event.clipboardData) { return; }
    var md;
    try { md = convert(event.clipboardData); } catch (e) { return; }  // the browser pastes instead
    if (md === null) { return; }
    event.preventDefault();
    insert(field, padded(field, md));
  }

  window.ConsultPaste = { fromHtml: fromHtml, fromText: fromText, linkBareAddresses: linkBareAddresses };
  document.addEventListener("paste", onPaste);
})();
