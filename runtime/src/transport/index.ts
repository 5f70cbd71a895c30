export * from './koffi.js';
export * from './memory.js';
