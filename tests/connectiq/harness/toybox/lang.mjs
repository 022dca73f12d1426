// Toybox.Lang: built-in type classes (for instanceof), exceptions, format.
import { MObject, MArray, MonkeyCrash, toMonkeyString } from '../values.mjs';
import { nativeClass, nativeFunctions, constants, MonkeyThrow } from '../runtime.mjs';
import { NUMBER_FORMATS, ENDIAN } from '../builtins.mjs';

export function installLang(toybox) {
  const lang = toybox.child('Lang');
  const object = nativeClass(lang, 'Object', {
    methods: {
      initialize: () => null,
      toString: (i, self) => toMonkeyString(self),
      equals: (i, self, [o]) => self === o,
      hashCode: () => 0,
    },
  });
  for (const t of ['Number', 'Long', 'Float', 'Double', 'Boolean', 'String', 'Char', 'Symbol', 'Array', 'ByteArray', 'Dictionary', 'Method']) {
    nativeClass(lang, t, { extends: object });
  }
  const exception = nativeClass(lang, 'Exception', {
    extends: object,
    fields: ['mMessage'],
    methods: {
      initialize: () => null,
      getErrorMessage: (i, self) => self.fields.get('mMessage') ?? null,
      printStackTrace: (i, self) => { i.output.push('Exception: ' + (self.fields.get('mMessage') ?? self.cls.name)); return null; },
    },
  });
  for (const n of ['InvalidValueException', 'UnexpectedTypeException', 'ValueOutOfBoundsException', 'OperationNotAllowedException', 'SerializationException', 'StorageFullException', 'SymbolNotAllowedException']) {
    nativeClass(lang, n, { extends: exception });
  }
  nativeFunctions(lang, {
    format: (i, self, [fmt, params]) => String(fmt).replace(/\$(\d+)\$/g, (_, n) => toMonkeyString(params.items[Number(n) - 1])),
  });
  constants(lang, Object.fromEntries([
    ...Object.entries(NUMBER_FORMATS).map(([k, v]) => ['NUMBER_FORMAT_' + k, v]),
    ['ENDIAN_LITTLE', ENDIAN.LITTLE], ['ENDIAN_BIG', ENDIAN.BIG],
  ]));
  return lang;
}

// Raises a Toybox exception (an instance of a Lang or module exception class) in Monkey C.
export function throwMonkey(interp, cls, message) {
  const e = new MObject(cls);
  e.fields.set('mMessage', message);
  throw new MonkeyThrow(e, `${cls.fullName}: ${message}`);
}

export function crashUnless(cond, kind, message) {
  if (!cond) throw new MonkeyCrash(kind, message);
}

export { MArray };
