// Module resolution hook (runs on Node's loader thread): `handoff` and `handoff/*` resolve as
// if imported from handoff's own package.json, through its "exports"; TypeScript files outside
// node_modules load as ES modules, also in a studio folder without a `"type": "module"` package.
let packageJson;

export function initialize(data) {
  packageJson = data.packageJson;
}

export async function resolve(specifier, context, next) {
  const resolved = /^handoff(\/|$)/.test(specifier)
    ? // Keep the importer's query: tsx's namespace travels in it.
      await next(specifier, { ...context, parentURL: packageJson + (context.parentURL ? new URL(context.parentURL).search : '') })
    : await next(specifier, context);
  const { pathname } = new URL(resolved.url);
  if (/\.tsx?$/.test(pathname) && !pathname.includes('/node_modules/')) return { ...resolved, format: 'module' };
  return resolved;
}
