// Conformance oracle: decodes a FIT file with Garmin's JavaScript FIT SDK and prints it in the
// format of `nirssync fit dump` (one JSON object per data message: raw values by field number,
// developer fields by "developer_data_index:field_definition_number"), then one final line
// {"errors":[...]} with the SDK's errors. Used by the .NET conformance tests only.
import { readFileSync } from 'node:fs';
import { Decoder, Stream, Profile } from '@garmin/fitsdk';

const file = process.argv[2];
const bytes = readFileSync(file);
const stream = Stream.fromBuffer(bytes);
const decoder = new Decoder(stream);

const devKeys = new Map(); // SDK key -> "index:number"
const out = [];

const numberOf = (mesgNum, name) => {
  if (/^\d+$/.test(name)) return name;
  const fields = Profile.messages[mesgNum]?.fields ?? {};
  for (const f of Object.values(fields)) if (f.name === name) return String(f.num);
  return null;
};

const { errors } = decoder.read({
  applyScaleAndOffset: false,
  expandSubFields: false,
  expandComponents: false,
  convertTypesToStrings: false,
  convertDateTimesToDates: false,
  includeUnknownData: true,
  mergeHeartRates: false,
  fieldDescriptionListener: (key, developerDataId, fieldDescription) => {
    devKeys.set(key, `${fieldDescription.developerDataIndex}:${fieldDescription.fieldDefinitionNumber}`);
  },
  mesgListener: (mesgNum, message) => {
    const fields = {};
    const dev = {};
    for (const [name, value] of Object.entries(message)) {
      if (name === 'developerFields') {
        for (const [k, v] of Object.entries(value)) dev[devKeys.get(Number(k)) ?? `?${k}`] = v;
        continue;
      }
      if (mesgNum === 206 && name === 'key') continue; // the SDK's own bookkeeping
      const n = numberOf(mesgNum, name);
      fields[n ?? name] = value;
    }
    out.push({ mesg: mesgNum, fields, dev });
  },
});

const replacer = (k, v) => typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString())
  : (typeof v === 'number' && !Number.isFinite(v)) ? 'NaN' : v;
for (const m of out) process.stdout.write(JSON.stringify(m, replacer) + '\n');
process.stdout.write(JSON.stringify({ errors: errors.map(e => String(e.message ?? e)) }) + '\n');
