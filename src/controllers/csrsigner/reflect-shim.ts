// @peculiar/x509 registers its algorithms through tsyringe, which refuses to
// load unless the Reflect metadata API exists (its README asks for the
// reflect-metadata package). tsyringe only needs getMetadata, getOwnMetadata
// and defineMetadata on classes, so a small store is installed here when no
// polyfill is present, rather than adding a dependency for three functions.
// Imported for its side effect by x509.ts, before @peculiar/x509.

type MetadataStore = WeakMap<object, Map<string | symbol | undefined, Map<unknown, unknown>>>;

interface ReflectMetadata {
  getMetadata?: (key: unknown, target: object, property?: string | symbol) => unknown;
  getOwnMetadata?: (key: unknown, target: object, property?: string | symbol) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object, property?: string | symbol) => void;
}

const reflect = Reflect as typeof Reflect & ReflectMetadata;

if (typeof reflect.getMetadata !== 'function') {
  const store: MetadataStore = new WeakMap();
  const own = (target: object, property: string | symbol | undefined, create: boolean) => {
    let byProperty = store.get(target);
    if (!byProperty) {
      if (!create) return undefined;
      byProperty = new Map();
      store.set(target, byProperty);
    }
    let values = byProperty.get(property);
    if (!values && create) {
      values = new Map();
      byProperty.set(property, values);
    }
    return values;
  };
  reflect.defineMetadata = (key, value, target, property) => {
    own(target, property, true)?.set(key, value);
  };
  reflect.getOwnMetadata = (key, target, property) => own(target, property, false)?.get(key);
  // Like reflect-metadata: look up the prototype chain.
  reflect.getMetadata = (key, target, property) => {
    for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t)) {
      const values = own(t, property, false);
      if (values?.has(key)) return values.get(key);
    }
    return undefined;
  };
}
