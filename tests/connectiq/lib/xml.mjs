// A small strict XML parser for the Connect IQ manifest and resource files: elements, attributes,
// text, comments, the XML declaration and the five predefined entities. It throws an Error naming
// the line of the first problem (unclosed or mismatched tag, bad attribute, stray text after the root).

const ENTITIES = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(text, line) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (m, name) => {
    if (!name) throw new Error(`line ${line}: bare '&' (write &amp;)`);
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    if (!(name in ENTITIES)) throw new Error(`line ${line}: unknown entity &${name};`);
    return ENTITIES[name];
  });
}

export function parseXml(source) {
  let i = 0;
  let line = 1;
  const advance = (n) => {
    for (let k = 0; k < n; k++) if (source[i + k] === "\n") line++;
    i += n;
  };
  const root = { name: "#document", attrs: {}, children: [], line: 1 };
  const stack = [root];
  let sawRoot = false;
  const NAME = /^[A-Za-z_][\w.:-]*/;

  while (i < source.length) {
    const rest = source.slice(i);
    if (rest.startsWith("<?")) {
      const end = source.indexOf("?>", i);
      if (end < 0) throw new Error(`line ${line}: unterminated <? ... ?>`);
      advance(end + 2 - i);
    } else if (rest.startsWith("<!--")) {
      const end = source.indexOf("-->", i + 4);
      if (end < 0) throw new Error(`line ${line}: unterminated comment`);
      advance(end + 3 - i);
    } else if (rest.startsWith("</")) {
      const m = rest.slice(2).match(NAME);
      if (!m) throw new Error(`line ${line}: bad closing tag`);
      const top = stack[stack.length - 1];
      if (stack.length === 1 || top.name !== m[0]) {
        throw new Error(`line ${line}: closing </${m[0]}> does not match <${top.name}>`);
      }
      const close = source.indexOf(">", i);
      if (close < 0 || source.slice(i + 2 + m[0].length, close).trim() !== "") {
        throw new Error(`line ${line}: malformed closing tag </${m[0]}>`);
      }
      stack.pop();
      advance(close + 1 - i);
    } else if (rest.startsWith("<")) {
      const m = rest.slice(1).match(NAME);
      if (!m) throw new Error(`line ${line}: '<' not followed by a tag name`);
      if (stack.length === 1 && sawRoot) throw new Error(`line ${line}: second root element <${m[0]}>`);
      const el = { name: m[0], attrs: {}, children: [], line };
      advance(1 + m[0].length);
      for (;;) {
        const ws = source.slice(i).match(/^\s*/)[0];
        advance(ws.length);
        if (source.startsWith("/>", i)) {
          advance(2);
          stack[stack.length - 1].children.push(el);
          break;
        }
        if (source[i] === ">") {
          advance(1);
          stack[stack.length - 1].children.push(el);
          stack.push(el);
          break;
        }
        if (!ws) throw new Error(`line ${line}: expected whitespace, '>' or '/>' in <${el.name}>`);
        const a = source.slice(i).match(/^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/);
        if (!a) throw new Error(`line ${line}: malformed attribute in <${el.name}>`);
        if (a[1] in el.attrs) throw new Error(`line ${line}: duplicate attribute ${a[1]} in <${el.name}>`);
        el.attrs[a[1]] = decodeEntities(a[3] ?? a[4], line);
        advance(a[0].length);
      }
      if (stack.length <= 2) sawRoot = true;
    } else {
      const next = source.indexOf("<", i);
      const text = source.slice(i, next < 0 ? source.length : next);
      if (stack.length === 1) {
        if (text.trim() !== "") throw new Error(`line ${line}: text outside the root element`);
      } else {
        stack[stack.length - 1].children.push({ name: "#text", text: decodeEntities(text, line), line });
      }
      advance(text.length);
    }
  }
  if (stack.length > 1) throw new Error(`unclosed element <${stack[stack.length - 1].name}> opened on line ${stack[stack.length - 1].line}`);
  const elements = root.children.filter((c) => c.name !== "#text");
  if (elements.length !== 1) throw new Error("document has no root element");
  return elements[0];
}

export function elements(node, name) {
  const out = [];
  const visit = (n) => {
    if (n.name === name) out.push(n);
    for (const c of n.children ?? []) if (c.name !== "#text") visit(c);
  };
  visit(node);
  return out;
}

export function textOf(node) {
  return (node.children ?? []).filter((c) => c.name === "#text").map((c) => c.text).join("").trim();
}
