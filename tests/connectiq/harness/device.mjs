// The simulated watch: clock, settings and storage, FIT recording, ANT radio and the mock Toybox
// installed into one interpreter.
import { Interpreter } from './interpreter.mjs';
import { installLang } from './toybox/lang.mjs';
import { installSystem } from './toybox/system.mjs';
import { installApplication } from './toybox/application.mjs';
import { installTest } from './toybox/test.mjs';
import { installWatchUi } from './toybox/watchui.mjs';
import { installAnt } from './toybox/ant.mjs';
import { Radio } from './radio.mjs';

export class Device {
  constructor({ startUnix = 1767254400, utcOffsetSeconds = 3600, properties = new Map(), storage = new Map(), freeAntChannels = 4, memoryLimit = 131072, radioSeed = 13, closedAfterRelease = true } = {}) {
    this.t = 0;
    this.startUnix = startUnix;
    this.bootMs = 5_000_000;
    this.utcOffsetSeconds = utcOffsetSeconds;
    this.properties = new Map(properties);
    this.storage = new Map(storage);
    this.memoryLimit = memoryLimit;
    this.backgroundColor = 0xffffff;
    this.updateRequests = 0;
    this.app = null;
    this.view = null;
    this.fit = { fields: [], writes: [], rangeErrors: [] };
    this.radio = new Radio(this, { freeChannels: freeAntChannels, seed: radioSeed, closedAfterRelease });
    this.interp = null;
    this.info = {};
  }
  unixTime() { return this.startUnix + Math.floor(this.t); }
  timerMs() { return this.bootMs + Math.round(this.t * 1000); }
  activityInfo() { return this.makeInfo(this.info); }
  deliver(listener, fields, payload) {
    this.interp.invoke(listener, [this.makeAntMessage(fields, payload)]);
  }
}

export function createRuntime({ exclude = [], device = new Device() } = {}) {
  const interp = new Interpreter({ exclude });
  const lang = installLang(interp.toybox);
  installSystem(interp.toybox, device);
  installApplication(interp.toybox, device, lang);
  const { logger } = installTest(interp.toybox, lang);
  installWatchUi(interp.toybox, device, lang);
  installAnt(interp.toybox, device, lang);
  device.interp = interp;
  return { interp, device, logger };
}
