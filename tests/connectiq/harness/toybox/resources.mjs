// The compiler-generated Rez module (strings and layouts of the field's resource folders) and
// the WatchUi drawables a layout creates (Drawable, Text), plus View.setLayout/findDrawableById.
import fs from 'node:fs';
import path from 'node:path';
import { MArray, MSymbol, MObject, MonkeyCrash, typeName, toMonkeyString } from '../values.mjs';
import { Module, Func, nativeClass, nativeFunctions, HarnessError } from '../runtime.mjs';
import { productResourceFolders } from '../jungle.mjs';

function xmlFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? xmlFiles(p) : e.name.endsWith('.xml') ? [p] : [];
  });
}

function attrs(text) {
  return Object.fromEntries([...text.matchAll(/([A-Za-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

function decodeXml(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

// Reads strings and layouts from the resource folders the compiler uses for `product`: the SDK's
// default jungle plus monkey.jungle (../jungle.mjs). A folder listed twice is an error.
export function readResources(root, product, devices) {
  const { folders, duplicates } = productResourceFolders(root, product, devices);
  if (duplicates.length) throw new HarnessError(`${root}/monkey.jungle: ${product} gets ${[...new Set(duplicates)].join(', ')} twice`);
  const dirs = folders.map((f) => path.join(root, f));
  const strings = new Map();
  const layouts = new Map();
  for (const f of dirs.flatMap(xmlFiles)) {
    const xml = fs.readFileSync(f, 'utf8');
    for (const m of xml.matchAll(/<string\s+([^>]*)>([\s\S]*?)<\/string>/g)) strings.set(attrs(m[1]).id, decodeXml(m[2].trim()));
    for (const m of xml.matchAll(/<layout\s+([^>]*)>([\s\S]*?)<\/layout>/g)) {
      const id = attrs(m[1]).id;
      if (layouts.has(id)) throw new HarnessError(`${f}: layout ${id} is defined twice`);
      layouts.set(id, [...m[2].matchAll(/<label\s+([^>]*?)\/>/g)].map((l) => attrs(l[1])));
    }
  }
  return { strings, layouts };
}

export function installResources(interp, device, resources) {
  const toybox = interp.toybox;
  const watchUi = toybox.members.get('WatchUi');
  const graphics = toybox.members.get('Graphics');
  const object = toybox.members.get('Lang').members.get('Object');

  const graphicsConst = (expr, where) => expr.split('|').reduce((acc, part) => {
    const name = part.trim().replace(/^Graphics\./, '');
    if (!graphics.members.has(name)) throw new HarnessError(`${where}: Graphics.${name} is not provided by the mock Toybox`);
    return acc | graphics.members.get(name);
  }, 0);
  const coord = (v, size) => (v.endsWith('%') ? Math.round((Number(v.slice(0, -1)) / 100) * size) : Number(v));

  const drawable = nativeClass(watchUi, 'Drawable', {
    extends: object,
    fields: ['identifier', 'locX', 'locY', 'width', 'height', 'visible'],
    methods: {
      initialize: () => null,
      draw: () => null,
      setLocation: (i, self, [x, y]) => { self.fields.set('locX', x); self.fields.set('locY', y); return null; },
      setVisible: (i, self, [v]) => { self.fields.set('visible', v); return null; },
    },
  });
  const text = nativeClass(watchUi, 'Text', {
    extends: drawable,
    methods: {
      setText: (i, self, [s]) => { self.native.text = toMonkeyString(s); return null; },
      setColor: (i, self, [c]) => { self.native.color = c; return null; },
      setFont: (i, self, [f]) => { self.native.font = f; return null; },
      setJustification: (i, self, [j]) => { self.native.justification = j; return null; },
      setBackgroundColor: (i, self, [c]) => { self.native.background = c; return null; },
      draw: (i, self, [dc]) => {
        if (self.fields.get('visible') === false) return null;
        i.callBuiltinDc(dc, 'setColor', [self.native.color, graphics.members.get('COLOR_TRANSPARENT')]);
        i.callBuiltinDc(dc, 'drawText', [self.fields.get('locX'), self.fields.get('locY'), self.native.font, self.native.text, self.native.justification]);
        return null;
      },
    },
  });
  interp.callBuiltinDc = (dc, name, args) => interp.callFunction(dc.cls.findMethod(name), dc, args);

  const view = watchUi.members.get('View');
  const setLayout = (i, self, [layout]) => {
    if (!(layout instanceof MArray)) throw new MonkeyCrash('UnexpectedTypeException', `setLayout needs an Array of drawables, got ${typeName(layout)}`);
    self.native.layout = layout.items;
    return null;
  };
  view.methods.set('setLayout', new Func({ name: 'setLayout', owner: view, native: setLayout }));
  view.methods.set('findDrawableById', new Func({
    name: 'findDrawableById', owner: view,
    native: (i, self, [id]) => (self.native.layout || []).find((d) => d.fields.get('identifier') === id) ?? null,
  }));
  view.methods.set('onUpdate', new Func({
    name: 'onUpdate', owner: view,
    native: (i, self, [dc]) => {
      for (const d of self.native.layout || []) i.callFunction(d.cls.findMethod('draw'), d, [dc]);
      return null;
    },
  }));

  const rez = new Module('Rez', interp.global, true);
  interp.global.members.set('Rez', rez);
  const strings = rez.child('Strings', true);
  for (const [id] of resources.strings) strings.members.set(id, MSymbol.of('Rez.Strings.' + id));
  const layouts = rez.child('Layouts', true);
  for (const [id, labels] of resources.layouts) {
    layouts.members.set(id, new Func({
      name: id, owner: layouts, isStatic: true,
      native: (i, self, [dc]) => {
        const w = dc.native.width, h = dc.native.height;
        return new MArray(labels.map((l) => {
          const t = new MObject(text);
          t.fields.set('identifier', l.id);
          t.fields.set('locX', coord(l.x ?? '0', w));
          t.fields.set('locY', coord(l.y ?? '0', h));
          t.fields.set('visible', true);
          t.native = {
            text: l.text ?? '', font: graphicsConst(l.font ?? 'FONT_MEDIUM', `layout ${id}`),
            justification: graphicsConst(l.justification ?? 'TEXT_JUSTIFY_LEFT', `layout ${id}`),
            color: graphicsConst(l.color ?? 'COLOR_BLACK', `layout ${id}`),
          };
          return t;
        }));
      },
    }));
  }
  nativeFunctions(watchUi, {
    loadResource: (i, s, [id]) => {
      if (!(id instanceof MSymbol) || !id.name.startsWith('Rez.Strings.')) {
        throw new HarnessError(`WatchUi.loadResource(${toMonkeyString(id)}): the harness loads string resources only`);
      }
      return resources.strings.get(id.name.slice('Rez.Strings.'.length));
    },
  });
  return rez;
}
