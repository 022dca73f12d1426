// The FIT field contract as written in docs/fit-fields.md and as declared in FitContract.mc.
import { walk, numericConstants, literalNumber } from "./monkeyc.mjs";

const MESG = { record: 20, lap: 19, session: 18 };
const TYPE_SIZE = { float32: 4, uint8: 1, uint16: 2 };

function tableRows(lines) {
  return lines
    .filter((l) => l.trim().startsWith("|"))
    .map((l) => l.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim()))
    .filter((cells) => !cells.every((c) => /^-*$/.test(c)));
}

// Fields of the markdown contract: [{ id, name, type, units, mesg, nativeNum, scale }].
// Range rows like "16-21 | lap_..._2" repeat the sensor-1 rows with the slot suffix changed.
export function fieldsFromDoc(markdown) {
  const fields = [];
  const sections = markdown.split(/^### /m).slice(1);
  for (const section of sections) {
    const head = section.match(/^(record|lap|session) \((\d+)\)/);
    if (!head) continue;
    const mesg = Number(head[2]);
    if (MESG[head[1]] !== mesg) throw new Error(`section ${head[1]} has message number ${mesg}`);
    const rows = tableRows(section.split("\n"));
    const header = rows.shift();
    const col = (name) => header.indexOf(name);
    const byId = new Map();
    for (const r of rows) {
      const idCell = r[col("id")];
      const range = idCell.match(/^(\d+)-(\d+)$/);
      if (range) {
        const from = Number(range[1]);
        const to = Number(range[2]);
        const template = [...byId.values()].filter((f) => f.name.endsWith("_1"));
        if (template.length !== to - from + 1) throw new Error(`range ${idCell} does not match ${template.length} sensor-1 rows`);
        template.forEach((t, i) => {
          const f = { ...t, id: from + i, name: t.name.replace(/_1$/, "_2") };
          byId.set(f.id, f);
        });
        continue;
      }
      const native = col("native") >= 0 ? r[col("native")] : "-";
      const scale = col("scale") >= 0 ? r[col("scale")] : "";
      const f = {
        id: Number(idCell),
        name: r[col("name")],
        type: r[col("type")],
        units: r[col("units")],
        mesg,
        nativeNum: native === "-" || native === "" ? -1 : Number(native),
        scale: scale === "" ? 1 : Number(scale),
      };
      if (!Number.isInteger(f.id) || !(f.type in TYPE_SIZE)) throw new Error(`bad contract row: ${r.join(" | ")}`);
      byId.set(f.id, f);
    }
    fields.push(...byId.values());
  }
  return fields.sort((a, b) => a.id - b.id);
}

// The declared byte size of each message in the markdown ("### lap (19): 24 bytes").
export function declaredSizes(markdown) {
  const out = {};
  for (const m of markdown.matchAll(/^### (record|lap|session) \((\d+)\): (\d+) bytes/gm)) out[Number(m[2])] = Number(m[3]);
  return out;
}

export function sizeOf(fields, mesg) {
  return fields.filter((f) => f.mesg === mesg).reduce((s, f) => s + TYPE_SIZE[f.type], 0);
}

// Code tables of the markdown: { "Muscle": Map code -> text, "Side": ... }.
export function codeTablesFromDoc(markdown) {
  const muscles = new Map();
  const section = markdown.split("Muscle (`muscle_N`, uint8):")[1]?.split("Side (")[0] ?? "";
  const rows = tableRows(section.split("\n"));
  rows.shift();
  for (const [code, text] of rows) muscles.set(Number(code), text);
  const sides = new Map();
  const sideLine = markdown.match(/Side \(`side_N`, uint8\): (.+)\./);
  if (sideLine) for (const m of sideLine[1].matchAll(/(\d+) (\w+)/g)) sides.set(Number(m[1]), m[2]);
  return { muscles, sides };
}

// Fields declared in FitContract.mc: the literal arguments of every `new FieldDefinition(...)`.
export function fieldsFromSource(ast) {
  const constants = numericConstants(ast);
  const kinds = { [constants.KIND_FLOAT32]: "float32", [constants.KIND_UINT8]: "uint8", [constants.KIND_UINT16]: "uint16" };
  const value = (node) => {
    const v = literalNumber(node);
    if (v !== null) return v;
    if (node.type === "Identifier" && node.name in constants) return constants[node.name];
    if (node.type === "Literal") return node.value;
    throw new Error(`FieldDefinition argument is not a literal or constant at line ${node.loc?.start?.line}`);
  };
  const fields = [];
  walk(ast, (n) => {
    if (n.type !== "NewExpression" || n.callee?.name !== "FieldDefinition") return;
    const [id, name, kind, units, mesg, nativeNum, scale, slot] = n.arguments.map(value);
    fields.push({ id, name, type: kinds[kind], units, mesg, nativeNum, scale, slot });
  });
  return fields.sort((a, b) => a.id - b.id);
}

// Differences between two field lists, as readable lines.
export function compareFields(doc, code) {
  const problems = [];
  const codeById = new Map(code.map((f) => [f.id, f]));
  for (const d of doc) {
    const c = codeById.get(d.id);
    if (!c) {
      problems.push(`field ${d.id} ${d.name}: in the doc, not in the code`);
      continue;
    }
    for (const k of ["name", "type", "units", "mesg", "nativeNum", "scale"]) {
      if (d[k] !== c[k]) problems.push(`field ${d.id} ${d.name}: ${k} is ${JSON.stringify(c[k])} in the code, ${JSON.stringify(d[k])} in the doc`);
    }
    codeById.delete(d.id);
  }
  for (const c of codeById.values()) problems.push(`field ${c.id} ${c.name}: in the code, not in the doc`);
  return problems;
}
