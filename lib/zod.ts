/**
 * zod, configured once for the whole project. Each spec and catalog is parsed once per process, so
 * zod's JIT (it generates a parser with `new Function` on the first parse of an object schema)
 * costs more than it saves: jitless parsing cut loading a deployment from about 43 ms to 29 ms.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
