// The KafkaTopic controller (issue 10, seed 002): its public surface (the
// entry is entry.ts).

export * from './connection-status.ts';
export * from './controller.ts';
export * from './desired.ts';
export * from './ownership.ts';
export * from './status.ts';
