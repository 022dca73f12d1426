// Toybox.Application: AppBase, getApp(), Properties (settings) and Storage (persistent values).
import { MDict, MArray, MonkeyCrash, typeName } from '../values.mjs';
import { nativeClass, nativeFunctions, expectArgs } from '../runtime.mjs';
import { throwMonkey } from './lang.mjs';

function checkStorable(v, where) {
  if (v === null || ['number', 'bigint', 'string', 'boolean'].includes(typeof v)) return;
  if (v instanceof MArray) { v.items.forEach((x) => checkStorable(x, where)); return; }
  if (v instanceof MDict) { v.map.forEach(([k, x]) => { checkStorable(k, where); checkStorable(x, where); }); return; }
  if (['Float', 'Double'].includes(typeName(v))) return;
  throw new MonkeyCrash('UnexpectedTypeException', `${where} cannot store a ${typeName(v)}`);
}

export function installApplication(toybox, device, lang) {
  const app = toybox.child('Application');
  const appBase = nativeClass(app, 'AppBase', {
    extends: lang.members.get('Object'),
    methods: {
      initialize: (i, self) => { device.app = self; return null; },
      onStart: () => null,
      onStop: () => null,
      getInitialView: () => { throw new MonkeyCrash('Symbol Not Found Error', 'the application does not implement getInitialView'); },
      getProperty: (i, self, [k]) => device.storage.get(k) ?? device.properties.get(k) ?? null,
      setProperty: (i, self, [k, v]) => { checkStorable(v, 'AppBase.setProperty'); device.storage.set(k, v); return null; },
      onSettingsChanged: () => null,
    },
  });
  void appBase;
  nativeFunctions(app, {
    getApp: () => {
      if (!device.app) throw new MonkeyCrash('Null Reference Exception', 'getApp() before the application was created');
      return device.app;
    },
  });
  const properties = app.child('Properties');
  nativeFunctions(properties, {
    getValue: (i, s, args) => {
      expectArgs('Properties.getValue', args, 1);
      if (!device.properties.has(args[0])) throwMonkey(i, properties.members.get('InvalidKeyException'), `no property ${args[0]}`);
      return device.properties.get(args[0]);
    },
    setValue: (i, s, args) => {
      expectArgs('Properties.setValue', args, 2);
      if (!device.properties.has(args[0])) throwMonkey(i, properties.members.get('InvalidKeyException'), `no property ${args[0]}`);
      checkStorable(args[1], 'Properties.setValue');
      device.properties.set(args[0], args[1]);
      return null;
    },
  });
  nativeClass(properties, 'InvalidKeyException', { extends: lang.members.get('Exception') });
  const storage = app.child('Storage');
  nativeFunctions(storage, {
    getValue: (i, s, args) => { expectArgs('Storage.getValue', args, 1); return device.storage.has(args[0]) ? device.storage.get(args[0]) : null; },
    setValue: (i, s, args) => {
      expectArgs('Storage.setValue', args, 2);
      checkStorable(args[1], 'Storage.setValue');
      device.storage.set(args[0], args[1]);
      return null;
    },
    deleteValue: (i, s, args) => { expectArgs('Storage.deleteValue', args, 1); device.storage.delete(args[0]); return null; },
    clearValues: () => { device.storage.clear(); return null; },
  });
  return app;
}
