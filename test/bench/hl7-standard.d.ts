/** The part of hl7-standard (no bundled types) the HL7 benchmark uses as its peer parser. */
declare module 'hl7-standard' {
  export default class HL7 {
    constructor(data?: string, opts?: Record<string, unknown>);
    /** Parses `raw` into segments; throws (or calls back with) an error on non-HL7 input. */
    transform(cb?: (err: Error | null, result: unknown) => void): void;
    get(path: string, index?: number): unknown;
    getSegments(type?: string): unknown[];
  }
}
