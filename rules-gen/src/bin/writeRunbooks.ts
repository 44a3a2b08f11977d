/** `npm run generate:runbooks`: writes docs/runbooks.md from the alert modules (rules-gen/src/alerts/). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { RUNBOOKS_FILE, runbooksMarkdown } from '../runbooks.js';

const file = path.resolve(import.meta.dirname, '../../..', RUNBOOKS_FILE);
writeFileSync(file, runbooksMarkdown());
console.log(`wrote ${path.relative(process.cwd(), file) || file}`);
