export * from './client.ts';
export * from './embedded.ts';
export * from './errors.ts';
export * as schema from './schema.ts';
export * from './schema.ts';
