/**
 * The escape hatch every component offers: a transform per underlying resource.
 *
 * Components pick opinionated, secure arguments; a transform lets a user change any argument the
 * component did not foresee without forking it. Either an object (shallow-merged over the
 * component's arguments) or a function that edits the arguments (and options) in place.
 */
import type * as pulumi from '@pulumi/pulumi';

export type Transform<Args> =
  Partial<Args> | ((args: Args, opts: pulumi.CustomResourceOptions, name: string) => void);

/** Apply `transform` (when given) to a resource's name, args and options before it is created. */
export function transformed<Args extends object>(
  name: string,
  args: Args,
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<Args>,
): [string, Args, pulumi.CustomResourceOptions] {
  if (transform === undefined) return [name, args, opts];
  if (typeof transform === 'function') {
    transform(args, opts, name);
    return [name, args, opts];
  }
  return [name, { ...args, ...transform }, opts];
}
