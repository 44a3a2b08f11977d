// Module resolve hook for no-typescript.mjs (runs on the loader thread).
const TRANSPILERS = /^(tsx|esbuild|typescript|ts-node|@swc\/core|@esbuild-kit\/[^/]+)(\/|$)/;

export async function resolve(specifier, context, next) {
  if (TRANSPILERS.test(specifier)) throw new Error(`no-typescript: ${specifier} was imported (from ${context.parentURL})`);
  const resolved = await next(specifier, context);
  if (/\.[cm]?tsx?$/.test(new URL(resolved.url).pathname)) throw new Error(`no-typescript: ${resolved.url} was imported`);
  return resolved;
}
