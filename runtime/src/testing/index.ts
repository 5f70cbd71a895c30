export * from './fake-vfio.js';
