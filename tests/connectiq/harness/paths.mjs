// Where the data field lives: <repo>/connectiq, or NIRSSYNC_CONNECTIQ_ROOT when set (to run the
// harness against another checkout of the field).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HARNESS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HARNESS_DIR, '..', '..', '..');
export const FIELD_ROOT = process.env.NIRSSYNC_CONNECTIQ_ROOT
  ? path.resolve(process.env.NIRSSYNC_CONNECTIQ_ROOT)
  : path.join(REPO_ROOT, 'connectiq');
