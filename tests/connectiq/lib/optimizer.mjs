// Runs @markw65/monkeyc-optimizer's analysis over a copy of the data field, as a second check of the
// Monkey C that is independent of the harness: it parses the project with its own jungle and
// resource handling, resolves every symbol against a Toybox declaration file written by this
// project (data/optimizer-sdk/.../bin/api.mir) and type-checks at its strictest level. No Garmin
// SDK is involved: the optimizer reads api.mir, projectInfo.xml and Devices/*/compiler.json, which
// are written here (the device files from data/garmin-devices.json).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { projectRoot, loadJson } from './project.mjs';

const require = createRequire(import.meta.url);
export const SDK_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'data', 'optimizer-sdk',
  'connectiq-sdk-lin-8.1.0-2025-03-01-nirssync');

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, e.name), b = path.join(to, e.name);
    if (e.isDirectory()) { if (e.name !== 'bin') copyDir(a, b); } else fs.copyFileSync(a, b);
  }
}

// A device folder per product the way the SDK lays them out (only the entries the optimizer reads).
function writeDevices(dir, products) {
  const devices = loadJson('garmin-devices.json').devices;
  for (const id of products) {
    const d = devices[id];
    if (!d) throw new Error(`unknown product ${id}`);
    fs.mkdirSync(path.join(dir, 'Devices', id), { recursive: true });
    fs.writeFileSync(path.join(dir, 'Devices', id, 'compiler.json'), JSON.stringify({
      deviceId: id, displayName: d.name, deviceFamily: `${d.shape}-${d.width}x${d.height}`,
      appTypes: [{ type: 'datafield', memoryLimit: d.dataFieldMemoryKB * 1024 }],
      partNumbers: [{ number: `006-B${id.length}-00`, connectIQVersion: d.apiLevel, firmwareVersion: 100, languages: [{ code: 'eng', fontSet: 'ww' }] }],
    }));
  }
}

// Copies the field to a temporary workspace, lets `mutate(dir)` change the copy, and runs the
// analysis for `products` (`builds`: false = release build, true = test build with the (:test) code).
// Returns the diagnostics as [{ severity, file, line, message, product, testBuild }].
export async function analyzeField({ products = ['edge840', 'fenix7'], mutate = null, root = projectRoot, builds = [false, true] } = {}) {
  const { buildOptimizedProject } = require('@markw65/monkeyc-optimizer');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nirssync-optimizer-'));
  try {
    const field = path.join(work, 'field');
    copyDir(root, field);
    if (mutate) mutate(field);
    const ciq = path.join(work, 'ConnectIQ');
    writeDevices(ciq, products);
    fs.writeFileSync(path.join(ciq, 'current-sdk.cfg'), SDK_DIR + '/');
    const out = [];
    for (const testBuild of builds) {
      for (const product of products) {
        const result = await buildOptimizedProject(product, {
          workspace: field, jungleFiles: path.join(field, 'monkey.jungle'), sdkPath: SDK_DIR + '/', connectIQPath: ciq,
          buildDir: path.join(work, 'bin'), outputPath: path.join(work, 'bin', 'optimized'), returnCommand: true,
          ignore_settings_files: true, developerKeyPath: path.join(work, 'no-key.der'), program: path.join(work, 'bin', 'NirsSync.prg'), typeCheckLevel: 'Strict', strictTypeCheck: 'On', checkTypes: 'ERROR',
          checkInvalidSymbols: 'ERROR', checkCompilerLookupRules: 'ERROR', compilerLookupRules: 'DEFAULT', testBuild,
          checkManifest: true, skipOptimization: false, optimizationLevel: 'None', checkBuildPragmas: true,
        });
        for (const [file, diags] of Object.entries(result.diagnostics ?? {})) {
          for (const d of diags) {
            out.push({ severity: d.type, file: path.relative(field, file), line: d.loc?.start?.line, message: d.message, product, testBuild });
          }
        }
      }
    }
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
