// Locations of the data field project and loaders shared by the static tests.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import plugin from "@markw65/prettier-plugin-monkeyc";
import { parseXml } from "./xml.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../../..");
export const projectRoot = path.join(repoRoot, "connectiq");
export const dataRoot = path.resolve(here, "../data");

export function listFiles(dir, ext) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p, ext));
    else if (entry.name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

// Parses Monkey C with the real parser of @markw65/prettier-plugin-monkeyc; throws on a syntax error.
export function parseMonkeyC(text, file = "<snippet>") {
  try {
    return plugin.parsers.monkeyc.parse(text, {});
  } catch (e) {
    throw new Error(`${file}: ${e.message.split("\n")[0]}`);
  }
}

export function monkeyCFiles() {
  return [...listFiles(path.join(projectRoot, "source"), ".mc"), ...listFiles(path.join(projectRoot, "test"), ".mc")];
}

export function loadSources() {
  return monkeyCFiles().map((file) => {
    const text = fs.readFileSync(file, "utf8");
    return { file: path.relative(projectRoot, file), text, ast: parseMonkeyC(text, file) };
  });
}

export function resourceXmlFiles() {
  return fs
    .readdirSync(projectRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name.startsWith("resources"))
    .flatMap((d) => listFiles(path.join(projectRoot, d.name), ".xml"));
}

export function loadXml(file) {
  const text = fs.readFileSync(file, "utf8");
  try {
    return parseXml(text);
  } catch (e) {
    throw new Error(`${path.relative(projectRoot, file)}: ${e.message}`);
  }
}

export function loadJson(name) {
  return JSON.parse(fs.readFileSync(path.join(dataRoot, name), "utf8"));
}
