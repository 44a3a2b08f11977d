import { createRequire } from 'node:module';
import type * as Grammy from 'grammy';

let library: typeof Grammy | undefined;
/**
 * grammY, loaded when Telegram is first used (a message to send, the command bot): about 20 MB
 * resident that a bridge without Telegram would otherwise carry (issue 19). Its Node build is
 * CommonJS, so require() gives the very module an `import` would.
 */
export const grammy = (): typeof Grammy => (library ??= createRequire(import.meta.url)('grammy') as typeof Grammy);
