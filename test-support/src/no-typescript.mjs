// `node --import test-support/src/no-typescript.mjs …` (or in NODE_OPTIONS, so every child
// Node process gets it too): the process fails as soon as it loads a TypeScript file or a
// transpiler. Tests run the compiled stack under it to prove no part needs TypeScript.
import { register } from 'node:module';

register(new URL('./no-typescript-hooks.mjs', import.meta.url));
