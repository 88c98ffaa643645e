// The entry `sdm operator --controllers=streamingapp` runs (charts/supertubes
// deploys it): StreamingApplications of one landscape, each run as an
// instance namespace <landscape>-<application> (seed 004). The landscape is
// OPERATOR_NAME as in seed 004, else the operator's own namespace; two
// operators of different landscapes on one cluster never touch each other's
// applications. Seed 004 needs WATCH_NAMESPACE empty so the instance
// namespaces can be watched; this controller scopes its informers itself
// (the landscape, and the landscape label cluster-wide), whatever it says.
import { Type } from '@sinclair/typebox';
import { defineController } from '../../kube/index.ts';
import { registerStreamingAppController } from './controller.ts';

export const STREAMING_APP_CONTROLLER = 'streamingapp';

export const streamingAppOptions = Type.Object({
  landscape: Type.Optional(
    Type.String({
      minLength: 1,
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      description:
        "the landscape: the namespace whose StreamingApplications this operator serves (seed 004's OPERATOR_NAME; default: the operator's namespace)",
      env: 'OPERATOR_NAME',
    }),
  ),
  resyncSeconds: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      description: 'how often pods and consumer lag are read again (default 30)',
    }),
  ),
  retrySeconds: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      description: 'retry period while Kafka is unknown or unreachable (default 10)',
    }),
  ),
  concurrency: Type.Optional(Type.Integer({ minimum: 1, description: 'parallel reconciles (default 8)' })),
});

const ms = (s: number | undefined) => (s === undefined ? undefined : s * 1000);

export const streamingAppEntry = defineController({
  name: STREAMING_APP_CONTROLLER,
  description:
    'Runs StreamingApplications (streaming.sdm.dev) of one landscape: a namespace per application with its processes and Kafka topics',
  options: streamingAppOptions,
  register(manager, options, context) {
    const landscape = options.landscape ?? context.podNamespace;
    if (!landscape) {
      throw new Error(
        'streamingapp: no landscape: set OPERATOR_NAME (or --set streamingapp.landscape=NAMESPACE), or run in a cluster (POD_NAMESPACE)',
      );
    }
    registerStreamingAppController(manager, {
      landscape,
      resyncMs: ms(options.resyncSeconds),
      retryMs: ms(options.retrySeconds),
      concurrency: options.concurrency,
    });
  },
});
