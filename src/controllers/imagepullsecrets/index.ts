// The image pull secrets controller: its public surface (the entry is entry.ts).
export { type ImagePullSecretsOptions, registerImagePullSecrets } from './controller.ts';
export * from './desired.ts';
export * from './entry.ts';
export { type AwsOptions, SourceReader } from './sources.ts';
export * from './status.ts';
