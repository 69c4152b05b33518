export * from './errors.ts';
export * from './limits.ts';
export * from './mentions.ts';
export * from './models.ts';
export * from './primitives.ts';
export * from './requests.ts';
export * from './responses.ts';
export * from './socket-events.ts';
