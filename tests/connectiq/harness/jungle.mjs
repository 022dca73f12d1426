// Resource paths as the Connect IQ compiler builds them: the SDK's default jungle first
// (base.resourcePath = resources; each product adds the folders qualified by its shape, its
// screen size and its id, when they exist), then the project's monkey.jungle, whose assignments
// replace or extend those values ($(name) expands the value so far).
import fs from 'node:fs';
import path from 'node:path';

// Folders the default jungle gives `product`, in the order the SDK adds them (only existing ones).
export function defaultQualifiers(product, device, exists) {
  const q = [];
  if (device?.shape) q.push(`resources-${device.shape}`);
  if (device?.width && device?.height) {
    q.push(`resources-${device.width}x${device.height}`);
    if (device.shape) q.push(`resources-${device.shape}-${device.width}x${device.height}`);
  }
  q.push(`resources-${product}`);
  return q.filter(exists);
}

function assignments(jungle) {
  const out = [];
  jungle.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const m = /^([\w.]+)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`monkey.jungle line ${i + 1}: "${raw.trim()}" is not name = value`);
    out.push({ key: m[1], value: m[2].trim(), line: i + 1 });
  });
  return out;
}

function expand(value, vars, line) {
  return value.replace(/\$\(([\w.]+)\)/g, (_, name) => {
    if (!(name in vars)) throw new Error(`monkey.jungle line ${line}: $(${name}) has no value`);
    return vars[name];
  });
}

// { product: { folders: [...], duplicates: [...] } } for every product of `devices` named in `products`.
export function resolveResourcePaths(jungle, products, devices, exists) {
  const list = assignments(jungle);
  const vars = { 'base.resourcePath': 'resources' };
  for (const a of list.filter((x) => x.key.startsWith('base.'))) vars[a.key] = expand(a.value, vars, a.line);
  const out = {};
  for (const p of products) {
    const v = { ...vars };
    v[`${p}.resourcePath`] = [v['base.resourcePath'], ...defaultQualifiers(p, devices[p], exists)].join(';');
    for (const a of list.filter((x) => x.key.startsWith(`${p}.`))) v[a.key] = expand(a.value, v, a.line);
    const folders = v[`${p}.resourcePath`].split(';').map((s) => s.trim()).filter(Boolean);
    const duplicates = folders.filter((f, i) => folders.indexOf(f) !== i);
    out[p] = { folders, duplicates };
  }
  return out;
}

// The resource folders of `product` in the data field at `root`.
export function productResourceFolders(root, product, devices) {
  const jungle = fs.readFileSync(path.join(root, 'monkey.jungle'), 'utf8');
  const exists = (f) => fs.existsSync(path.join(root, f));
  const r = resolveResourcePaths(jungle, [product], devices, exists)[product];
  return r;
}
