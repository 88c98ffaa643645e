// StreamingApplication controller: desired objects (desired.ts), checks
// (validate.ts), consumer lag (lag.ts), status (status.ts), wiring (controller.ts).
export * from './controller.ts';
export * from './desired.ts';
export * from './entry.ts';
export * from './lag.ts';
export * from './status.ts';
export * from './validate.ts';
