import { unknownIdError, ZeroshiftError, type ErrorCode } from '../errors.js';

/**
 * A string-keyed registry (datasets, shifts, metrics, prompt sets...). Lookups of an
 * unknown id throw an error that lists the known ids.
 */
export class Registry<T> {
  private readonly items = new Map<string, T>();

  constructor(readonly kind: string, private readonly errorCode: ErrorCode = 'USAGE') {}

  register(id: string, item: T): this {
    if (this.items.has(id)) throw new ZeroshiftError('INTERNAL', `${this.kind} '${id}' registered twice`);
    this.items.set(id, item);
    return this;
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  get(id: string): T {
    const item = this.items.get(id);
    if (item === undefined) throw unknownIdError(this.kind, id, this.ids(), this.errorCode);
    return item;
  }

  ids(): string[] {
    return [...this.items.keys()];
  }

  entries(): [string, T][] {
    return [...this.items.entries()];
  }
}
