// The pieces every slice of the contract is built from: a method's schema with its result
// type, an id and an empty argument. No node imports here: the renderer compiles this.
import { z } from 'zod';

/** A method's schema and, as a phantom, its result type. */
export interface Method<I extends z.ZodType, O> {
  input: I;
  output?: O;
}

/** Curried so the input type is inferred from the schema and the output named. */
export const method =
  <O>() =>
  <I extends z.ZodType>(input: I): Method<I, O> => ({ input });

export const id = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id is 1-64 letters, digits, _ or -');

/** The argument of a method that takes none. */
export const none = z.object({}).strict();
