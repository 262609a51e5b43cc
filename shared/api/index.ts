export * from './contract';
export * from './errors';
export * from './intent';
export * from './methods';
export * from './models';
export * from './portfolio';
export * from './primitives';
export * from './settings';
