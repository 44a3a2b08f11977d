import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root folder. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The trader's config file, relative to the current folder, as the README shows it. */
export const DEFAULT_CONFIG = 'config/config.toml';
export const EXAMPLE_CONFIG = path.join(ROOT, 'config/config.example.toml');
