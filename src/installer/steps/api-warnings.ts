// The API server's warnings about what a pass wrote (an unknown or duplicate
// field it dropped, a deprecated API), per component and object, each
// distinct text once. Without fieldValidation the server applies the rest and
// only warns, so a typo in a valuesOverride would vanish unless shown: the CLI
// prints these as kubectl does, the operator records them as Warning Events.
// A warning never fails a component.
import type { KubeObject } from '../../kube/index.ts';

export interface ApiWarning {
  component: string;
  /** Kind/name of the object the warning came with. */
  object: string;
  text: string;
}

/** The Event reason of a warning. */
export const API_WARNING_REASON = 'APIServerWarning';

/** `<component>: <Kind>/<name>: <text>`, the CLI line (after `warning: `) and the Event message. */
export function warningMessage(w: ApiWarning): string {
  return `${w.component}: ${w.object}: ${w.text}`;
}

export class ApiWarnings {
  private readonly seen = new Map<string, ApiWarning>();

  /** The onWarning callback for requests writing obj for component. */
  for(component: string, obj: KubeObject): (text: string) => void {
    const object = `${obj.kind}/${obj.metadata?.name}`;
    return (text) => {
      const w = { component, object, text };
      this.seen.set(warningMessage(w), w);
    };
  }

  /** Every distinct warning so far, in the order first seen. */
  list(): ApiWarning[] {
    return [...this.seen.values()];
  }
}
