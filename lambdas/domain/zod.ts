/**
 * The `z` the Lambda code uses, built from zod's named exports.
 *
 * zod's own `z` is a namespace object that also carries every locale and the JSON-schema tooling; once code uses
 * `z` as a value, a bundler must keep all of it (about 380 KB of each Lambda bundle). Named imports let esbuild
 * drop what we never call. The value and the types read exactly like zod's `z.…`.
 */
import {
  array,
  boolean,
  enum as enumOf,
  iso,
  literal,
  looseObject,
  number,
  object,
  preprocess,
  strictObject,
  string,
  tuple,
  union,
  unknown,
  url,
  type input as ZodInput,
  type output as ZodOutput,
  type ZodType as ZodTypeOf,
} from 'zod';

/** The schema builders the project uses (add one here when code needs it). */
export const z = {
  array,
  boolean,
  enum: enumOf,
  iso,
  literal,
  looseObject,
  number,
  object,
  preprocess,
  strictObject,
  string,
  tuple,
  union,
  unknown,
  url,
};

/** zod's type helpers under their usual names (`z.infer`, `z.output`, `z.input`, `z.ZodType`). */
export declare namespace z {
  type infer<T extends ZodTypeOf> = ZodOutput<T>;
  type output<T extends ZodTypeOf> = ZodOutput<T>;
  type input<T extends ZodTypeOf> = ZodInput<T>;
  type ZodType<Output = unknown, Input = unknown> = ZodTypeOf<Output, Input>;
}
