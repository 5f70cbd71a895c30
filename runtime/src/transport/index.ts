export * from './koffi.js';
