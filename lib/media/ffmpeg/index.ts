export * from './args.ts';
export * from './resolve.ts';
export * from './run.ts';
